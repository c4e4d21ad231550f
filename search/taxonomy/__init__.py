"""Product and service classifications: the Harmonized System (goods) and UNSPSC (services)."""
