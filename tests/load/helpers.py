"""What the load tests share besides the gunicorn_server fixture: browsers that visit and vote
over HTTP, a count of requests in flight, and the check that the tallies are exact."""

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from app.ratings.summary import rounded_average
from tests.helpers import FILM_URL, RATING_URL

SECRET_KEY = "load-test-secret"
# The demo film's one seeded vote.
DEMO_VOTE = 5


_SESSIONS = Flask("load-tests")
_SESSIONS.secret_key = SECRET_KEY


@dataclass
class Browser:
    """One visitor: a cookie jar that views the film page first, then votes with htmx."""

    url: str
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    # (stars, acknowledged) for every vote sent, in order; stars None for a removal.
    attempts: list[tuple[int | None, bool]] = field(default_factory=list)

    def view(self) -> requests.Response:
        response = self.session.get(self.url + FILM_URL, timeout=60)
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        return response

    def vote(self, stars: int | None, session: requests.Session | None = None) -> requests.Response:
        """Vote (None: remove the vote); a connection that fails, or an answer cut off mid-body,
        is recorded as a vote sent and not acknowledged."""
        path, fields = (
            (f"{RATING_URL}/delete", {}) if stars is None else (RATING_URL, {"stars": str(stars)})
        )
        try:
            response = (session or self.session).post(
                self.url + path,
                data={"csrf_token": self.token, **fields},
                headers={"HX-Request": "true"},
                timeout=120,
            )
        except requests.RequestException:
            self.attempts.append((stars, False))
            raise
        self.attempts.append((stars, response.ok))
        return response

    def clone(self) -> requests.Session:
        """Another connection with this browser's cookie, as a second tab or a double click."""
        session = requests.Session()
        session.cookies.update(self.session.cookies)
        return session

    @property
    def visitor(self) -> str:
        serializer = SecureCookieSessionInterface().get_signing_serializer(_SESSIONS)
        return serializer.loads(self.session.cookies["session"])["visitor"]

    def possible_votes(self) -> set[int | None]:
        """What the database may hold for this visitor: the last acknowledged vote, or any
        vote sent after it whose answer was lost (it may have been committed)."""
        acknowledged = [i for i, (_, ok) in enumerate(self.attempts) if ok]
        if not acknowledged:
            return {None, *(stars for stars, _ in self.attempts)}
        return {stars for stars, _ in self.attempts[acknowledged[-1] :]}


class InFlight:
    """Counts requests in flight, to show how many connections were really concurrent."""

    def __init__(self):
        self.now = self.most = 0
        self._lock = threading.Lock()

    def __enter__(self):
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *_):
        with self._lock:
            self.now -= 1


def block_words(server, session=requests) -> str:
    """The words of the rating block, as the given browser (or a new one) sees them."""
    html = session.get(server.url + RATING_URL, timeout=60).text
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def printed_numbers(server) -> tuple[str, int]:
    """The average and vote count that the rating block shows."""
    found = re.search(r"Average rating ([\d.]+) / 5\. Vote count: (\d+)", block_words(server))
    return found.group(1), int(found.group(2))


def assert_tallies_exact(server, stars: list[int]) -> None:
    """The tally, the printed average and count, and `ratings verify` all agree with `stars`."""
    per_star = Counter(stars)
    assert server.tally() == (len(stars), *(per_star[n] for n in range(1, 6)))
    assert printed_numbers(server) == (str(rounded_average(sum(stars), len(stars))), len(stars))
    verify = server.flask("ratings", "verify")
    assert verify.returncode == 0 and "ok: every tally matches its votes" in verify.stdout
    assert server.integrity() == "ok"
