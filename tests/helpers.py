"""What tests share besides fixtures: the demo film's URLs, and a visitor's browser session."""

import re

SLUG = "the-way-back"
FILM_URL = f"/films/{SLUG}"
RATING_URL = f"{FILM_URL}/rating"
HTMX = {"HX-Request": "true"}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


class Visitor:
    """A browser's session: it views the film page first, as a person would, then votes."""

    def __init__(self, client):
        self.client = client
        self.token = csrf_token(client.get(FILM_URL).get_data(as_text=True))

    def vote(self, stars, htmx=True, **kwargs):
        data = {"csrf_token": self.token}
        if stars is not None:
            data["stars"] = stars
        return self.client.post(RATING_URL, data=data, headers=HTMX if htmx else {}, **kwargs)

    def remove(self, htmx=True):
        return self.client.post(
            f"{RATING_URL}/delete",
            data={"csrf_token": self.token},
            headers=HTMX if htmx else {},
        )
