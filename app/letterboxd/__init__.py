"""Moving from and to Letterboxd: `flask letterboxd import reviews.csv` makes a draft review per
film not yet here; `flask letterboxd export PATH.csv` writes the owner's reviews for Letterboxd."""
