"""Moving in from WordPress: `flask wordpress import EXPORT.xml`, which reads the blog's WXR
export (and Rate My Post's votes) into films, comments, votes, posters and redirects."""
