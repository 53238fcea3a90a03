"""Ratings reads: editions (published ratings, history, changes), public (scores and decisions explained on
public pages), evidence (staff screens for rating decisions)."""
