"""Shared fixtures; the broker fixtures live in tests/support."""
