"""Views: a film's votes per day, and removing a burst of them."""
