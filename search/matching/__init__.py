"""Cross-border, cross-language matching of buy requests and offers (no web imports).

- `embeddings`: the multilingual sentence encoder, loaded once and lazily, encoding in batches.
- `vectors`: a vector store (numpy matrix on disk) keyed by listing id, version and text, exact cosine top-k.
- `scoring`: THE scoring function, its weights in one place, and the reasons (machine codes + parameters).
- `retrieval`: hybrid candidates (lexical engine + semantic vectors), business rules, ranking.
"""
