"""Watchlist: early-warning signals of fast-declining civic space."""
