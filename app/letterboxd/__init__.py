"""Letterboxd: the owner's reviews in (`flask letterboxd import reviews.csv`, from Letterboxd's
data export) and out (`flask letterboxd export PATH.csv`, in Letterboxd's import format)."""
