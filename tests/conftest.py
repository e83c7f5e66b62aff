"""Shared fixtures for the library's unit tests."""
import matplotlib

# Unit tests draw off-screen; notebooks keep Jupyter's inline backend.
matplotlib.use("Agg")
