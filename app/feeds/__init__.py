"""Atom feeds: the site's newest reviews, and each genre's and each person's, made with feedgen;
answered with 304 to a reader that already has the current version."""
