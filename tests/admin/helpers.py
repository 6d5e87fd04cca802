"""What the admin's tests share: the owner's credentials and a signed-in browser."""

import re

from tests.helpers import HTMX, csrf_token

EMAIL = "Owner@Example.com"
PASSWORD = "correct horse battery"


class Owner:
    """A browser that signs in through the form, then posts admin forms with its token."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def sign_in(self, email=EMAIL, password=PASSWORD, **kwargs):
        page = self.client.get("/admin/sign-in").get_data(as_text=True)
        response = self.client.post(
            "/admin/sign-in",
            data={"csrf_token": csrf_token(page), "email": email, "password": password},
            **kwargs,
        )
        if response.status_code == 303:
            self.token = csrf_token(self.get("/admin/comments").get_data(as_text=True))
        return response

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, htmx=False, **kwargs):
        data = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=data, headers=HTMX if htmx else {}, **kwargs)


def text_of(response) -> str:
    """The response's text with tags removed and white space folded, for reading sentences."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())
