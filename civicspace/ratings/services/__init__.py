"""Ratings services: every change to rating data. importer (published editions from CSV), indices (external
index values), assessments (coded assessments), decisions (proposals, votes, decisions, editions, errata),
scoring (guiding scores computed and stored)."""
