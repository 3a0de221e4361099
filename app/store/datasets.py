"""Uploaded datasets: table and repository (filled in by the training-engine work)."""
