"""Training: run specs, executors (local process pool, Ray), worker, events, predictions."""
