"""The only web-side code that imports Keras: catalog, inference, building, codegen."""
