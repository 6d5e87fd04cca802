"""Search: films found by their titles and the names credited, by the database's full-text index.

`text.py` folds case and accents (the same in Python for both databases), `schema.py` holds the
full-text index each database keeps, `index.py` writes a film's search text with the film,
`query.py` is the one search function, `views.py` the page and its htmx fragment.
"""
