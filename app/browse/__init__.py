"""Browsing: a person's films with their roles, a genre's films, a year's films; paged by key."""
