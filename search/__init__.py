"""Search, indexing, matching and taxonomies. Imports nothing from the web app (see DESIGN.md §4)."""
