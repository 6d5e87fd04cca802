"""Films: the home page, the film page (composed in pages.py), content import, crawlers."""
