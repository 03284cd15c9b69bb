"""Shared pytest fixtures for the dbssim test suite (extended as the suite grows)."""
