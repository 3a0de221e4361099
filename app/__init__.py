"""NeuralCanvas: build, train and inspect Keras neural networks visually."""

__version__ = "0.1.0"
