"""The site's own pages, whose Markdown the owner writes in the admin: for now, About."""
