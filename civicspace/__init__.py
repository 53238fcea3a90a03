"""Civic Space Monitor."""
