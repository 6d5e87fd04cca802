"""What tests share besides fixtures: the demo film's URLs, a visitor's browser session, reading
a page's blocks and JSON-LD, the demo film's tally, and more films."""

import json
import re
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from app.core.database import reset_id_sequences
from app.extensions import db
from app.models import Credit, Film, Tally, Vote

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


def text_of(html: str) -> str:
    """The visible words of some HTML, with tags removed and white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def block_of(html: str) -> str:
    start = html.index('<section id="rating"')
    return html[start : html.index("</section>", start)]


def tallies(app):
    with app.app_context():
        tally = db.session.get(Tally, 1)
        votes = db.session.scalar(select(func.count()).select_from(Vote))
        return tally.count, tally.per_star, votes


def jsonld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def add_films(app, tallies, start=date(2024, 8, 1)):
    """Films published between `start` (after the demo film) and today, oldest first, with the
    given per-star tallies; their slugs. Many films share a day when there are more than days."""
    days = (date.today() - start).days
    with app.app_context():
        first = (db.session.scalar(select(func.max(Film.id))) or 0) + 1
        films = [
            {
                "id": first + i,
                "slug": f"film-{first + i}",
                "title": f"Film {first + i}",
                "year": 2000 + i % 25,
                "published_on": start + timedelta(days=i * days // len(tallies)),
                "body": "A film.",
            }
            for i in range(len(tallies))
        ]
        db.session.execute(insert(Film), films)
        # Inserted with their ids: PostgreSQL's next film id must follow them, as an import's does.
        reset_id_sequences(db.session, [Film.__table__])
        db.session.execute(
            insert(Tally),
            [
                dict(film_id=f["id"], count=sum(t), **{f"s{n}": t[n - 1] for n in range(1, 6)})
                for f, t in zip(films, tallies, strict=True)
            ],
        )
        db.session.commit()
    return [f["slug"] for f in films]


def card_slugs(html, section):
    part = html[html.index(f'id="{section}-title"') :]
    part = part[: part.index("</section>")]
    return re.findall(r'<a href="/films/([^"]+)">', part)


# A film file with only the required fields.
MINIMAL = """
slug = "{slug}"
title = "{title}"
year = 1999
published = 2024-01-02
body = "A film."
[credits]
director = ["Somebody"]
"""


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Film, Credit, Vote)
        )


def next_link(html):
    """The href of the page's visible "Older films" link, which must match its <link rel=next>."""
    found = re.findall(r'<a rel="next" href="([^"]+)">Older films</a>', html)
    head = re.findall(r'<link rel="next" href="([^"]+)">', html)
    assert found == head
    return found[0].replace("&amp;", "&") if found else None
