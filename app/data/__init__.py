"""Datasets: built-in generators, upload parsing, splits, previews. No FastAPI, no Keras."""
