"""What the reliability tests share: how a visitor meets each error, and visitors from chosen
addresses."""

from tests.helpers import HTMX, Visitor

SECRET = "internal detail <b>do not show</b>"


# How a visitor meets each error for real, outside the rating block.
TRIGGERS = {
    400: ("post", "/test-fail/400", {}),
    404: ("get", "/no/such/page", {}),
    405: ("put", "/", {}),
    413: ("post", "/test-fail/400", {"data": {"x": "y" * 100_000}}),
    422: ("get", "/test-fail/422", {}),
    429: ("get", "/test-fail/429", {}),
    500: ("get", "/test-fail/500", {}),
    503: ("get", "/test-fail/503", {}),
}

TITLES = {
    400: "Bad request",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Not saved",
    429: "Too many requests",
    500: "Server error",
    503: "Unavailable",
}


def request(client, code, htmx=False):
    method, url, kwargs = TRIGGERS[code]
    return getattr(client, method)(url, headers=HTMX if htmx else {}, **kwargs)


def visitor_at(app, address, **headers):
    """A visitor with a browser of its own, whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    for name, value in headers.items():
        client.environ_base[f"HTTP_{name.upper().replace('-', '_')}"] = value
    return Visitor(client)
