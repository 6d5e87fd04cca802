"""Comments: posting (posting.py, what is held), the form, and moderation."""
