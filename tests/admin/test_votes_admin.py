"""Votes in the admin: per day, and removing a burst with exact tallies and no drift."""

import re
from datetime import UTC, timedelta, timezone

from sqlalchemy import select, update

from app.core import maintenance
from app.extensions import db
from app.models import Film, Tally, Vote, utcnow
from app.ratings import votes
from tests.admin.helpers import text_of
from tests.helpers import FILM_URL, SLUG

VOTES_URL = f"/admin/films/{SLUG}/votes"


def film_id(app):
    with app.app_context():
        return db.session.scalar(select(Film.id).where(Film.slug == SLUG))


def cast(app, stars, count, prefix, ago=timedelta(0)):
    """`count` votes of `stars` stars, dated `ago` before now."""
    with app.app_context():
        fid = film_id(app)
        for i in range(count):
            votes.seed(fid, f"{prefix}-{i}", stars)
        db.session.execute(
            update(Vote)
            .where(Vote.visitor.like(f"{prefix}-%"))
            .values(created_at=utcnow() - ago, updated_at=utcnow() - ago)
        )
        db.session.commit()


def tally(app):
    with app.app_context():
        row = db.session.get(Tally, film_id(app))
        return (row.count, *row.per_star), row.revision


def window(minutes_ago_start, minutes_ago_end):
    now = utcnow()
    fmt = "%Y-%m-%dT%H:%M:%S"
    return {
        "start": (now - timedelta(minutes=minutes_ago_start)).strftime(fmt),
        "end": (now - timedelta(minutes=minutes_ago_end) + timedelta(seconds=1)).strftime(fmt),
    }


def confirmation(owner, times):
    """The burst's confirmation page, and the fields its Remove button posts."""
    page = owner.get(f"{VOTES_URL}/burst", query_string=times)
    fields = dict(
        re.findall(
            r'<input type="hidden" name="(start|end|votes)" value="([^"]*)"',
            page.get_data(as_text=True),
        )
    )
    return page, fields


def visitors(app):
    with app.app_context():
        return set(db.session.scalars(select(Vote.visitor).where(Vote.film_id == film_id(app))))


def test_votes_per_day_chart_and_table(app, owner):
    cast(app, 2, 3, "old", ago=timedelta(days=3))
    response = owner.get(VOTES_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    day = (utcnow() - timedelta(days=3)).date().isoformat()
    assert f"<title>{day}: 3</title>" in html
    assert f'<time datetime="{day}">{day}</time></td><td>3</td>' in html
    assert "<svg" in html and " style=" not in html


def test_a_burst_is_confirmed_then_removed_with_exact_tallies(app, owner, client):
    cast(app, 4, 3, "early", ago=timedelta(hours=2))  # the demo's 5 and these: 4.3
    cast(app, 1, 6, "burst", ago=timedelta(minutes=5))
    (count, *_), revision = tally(app)
    assert count == 10
    times = window(10, 4)
    confirm, fields = confirmation(owner, times)
    assert confirm.status_code == 200
    words = text_of(confirm)
    assert "6 votes were cast from" in words
    assert "from 10 votes, average 2.3, to 4 votes, average 4.3" in words
    assert tally(app)[0][0] == 10  # the confirmation changes nothing
    removed = owner.post(f"{VOTES_URL}/burst", fields)
    assert removed.status_code == 303
    assert "Removed 6 votes; the average went from 2.3 to 4.3." in text_of(owner.get(VOTES_URL))
    counts, new_revision = tally(app)
    assert counts == (4, 0, 0, 0, 3, 1) and new_revision > revision
    with app.app_context():
        assert maintenance.verify() == []
    assert "4.3" in client.get(FILM_URL).get_data(as_text=True)


def test_a_window_that_changed_since_removes_nothing(app, owner):
    cast(app, 1, 2, "burst", ago=timedelta(minutes=5))
    _page, fields = confirmation(owner, window(10, 4))
    cast(app, 1, 1, "late", ago=timedelta(minutes=5))
    response = owner.post(f"{VOTES_URL}/burst", fields)
    assert response.status_code == 409
    assert "changed since you looked" in text_of(response)
    assert "3 votes were cast" in text_of(response)  # the numbers now
    assert tally(app)[0][0] == 4  # the demo vote and the three


def test_a_window_ending_later_keeps_the_votes_cast_after_the_preview(app, owner):
    """The window ends when the owner looked: an honest vote cast after the preview, inside the
    window the owner typed, is neither removed nor a reason to refuse the removal."""
    cast(app, 1, 3, "burst", ago=timedelta(minutes=5))
    _page, fields = confirmation(owner, window(10, -60))  # until an hour from now
    with app.app_context():
        votes.cast(SLUG, "honest", 4)
    assert owner.post(f"{VOTES_URL}/burst", fields).status_code == 303
    assert "honest" in visitors(app)
    assert not any(v.startswith("burst") for v in visitors(app))
    assert tally(app)[0] == (1, 0, 0, 0, 1, 0)  # the demo's vote, cast at the start, was in it
    with app.app_context():
        assert maintenance.verify() == []


def test_the_same_number_of_other_votes_removes_nothing(app, owner):
    """One vote of the burst withdrawn and an honest one cast: as many votes in the window as the
    preview counted, but not the same ones, so none is removed."""
    cast(app, 1, 3, "burst", ago=timedelta(minutes=5))
    _page, fields = confirmation(owner, window(10, -60))
    with app.app_context():
        votes.withdraw(SLUG, "burst-0")
        votes.cast(SLUG, "honest", 4)
    assert owner.post(f"{VOTES_URL}/burst", fields).status_code == 409
    assert {"honest", "burst-1", "burst-2"} <= visitors(app)
    with app.app_context():
        assert maintenance.verify() == []


def test_a_window_with_a_utc_offset_is_converted(app, owner):
    """17:30+02:00 is 15:30 UTC: the votes of that moment are counted, not those two hours on."""
    cast(app, 1, 2, "burst", ago=timedelta(minutes=5))
    now = utcnow()
    plus_two = timezone(timedelta(hours=2))
    times = {
        name: (now - timedelta(minutes=ago)).replace(tzinfo=UTC).astimezone(plus_two).isoformat()
        for name, ago in (("start", 10), ("end", 1))
    }
    page, fields = confirmation(owner, times)
    assert "2 votes were cast" in text_of(page)
    assert owner.post(f"{VOTES_URL}/burst", fields).status_code == 303
    assert tally(app)[0][0] == 1


def test_bad_windows_are_told_beside_their_fields(app, owner):
    for times, field in (
        ({"start": "", "end": "2026-01-01T00:00"}, "start"),
        ({"start": "2026-01-02T00:00", "end": "2026-01-01T00:00"}, "end"),
        ({"start": "yesterday", "end": "2026-01-01T00:00"}, "start"),
    ):
        response = owner.get(f"{VOTES_URL}/burst", query_string=times)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert f'id="f-{field}-error"' in html and 'aria-invalid="true"' in html
    assert owner.post(f"{VOTES_URL}/burst", {"start": "x", "end": "y"}).status_code == 422
    assert owner.get("/admin/films/no-such-film/votes").status_code == 404
