"""Pure graph domain: spec models, normalisation, validation. No FastAPI, no Keras."""
