"""Training runs and their events: tables and repository (filled in by the training-engine work)."""
