"""Ratings: the vote rules (votes.py), the numbers (summary.py) and the block."""
