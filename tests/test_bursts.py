"""Removing a burst of votes under live traffic: the tally locked, the votes deleted and the
tally recounted in one transaction, so no vote cast meanwhile is lost and `ratings verify`
stays clean, on SQLite and PostgreSQL."""

import threading
from datetime import timedelta

from sqlalchemy import create_engine, event, select, text, update

from app.core import maintenance
from app.extensions import db
from app.models import Vote, utcnow
from app.ratings import bursts, votes
from tests.helpers import SLUG
from tests.test_verify import exact

FILM = 1


def stuff(app, prefix: str, count: int, when) -> None:
    """`count` one-star votes, dated `when`."""
    with app.app_context():
        for i in range(count):
            votes.seed(FILM, f"{prefix}-{i}", 1)
        db.session.execute(
            update(Vote).where(Vote.visitor.like(f"{prefix}-%")).values(created_at=when)
        )
        db.session.commit()


def test_a_vote_committed_while_the_burst_is_removed_is_kept_in_the_tally(app, database_url):
    """Another worker's vote commits right after the removal's first statement: the recount under
    the tally's lock counts it (it was written from the count made before, and lost)."""
    when = utcnow() - timedelta(hours=1)
    stuff(app, "burst", 5, when)
    other = create_engine(database_url)
    done = threading.Event()

    def honest_vote():
        with other.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO votes (film_id, visitor, stars, created_at, updated_at)"
                    " VALUES (1, 'honest', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text("UPDATE tallies SET count = count + 1, s4 = s4 + 1 WHERE film_id = 1")
            )
        done.set()

    voter = threading.Thread(target=honest_vote)

    def after(*_args):
        if not voter.is_alive() and not done.is_set():
            voter.start()
            # PostgreSQL lets it commit now; SQLite's write lock makes it wait for the removal.
            done.wait(0.5)

    with app.app_context():
        burst = bursts.preview(FILM, when, when)
        assert burst.count == 5
        event.listen(db.engine, "after_cursor_execute", after)
        try:
            bursts.remove(FILM, when, when, burst.digest)
        finally:
            event.remove(db.engine, "after_cursor_execute", after)
    voter.join()
    other.dispose()
    tally, counted = exact(app)
    assert tally == counted == (2, 0, 0, 0, 1, 1)  # the demo's 5 and the honest 4
    with app.app_context():
        assert maintenance.verify() == []


def test_removals_under_concurrent_votes_lose_no_honest_vote(app):
    """Honest visitors cast, change and withdraw votes, and the stuffer keeps changing the burst's
    votes, while the owner removes burst after burst: afterwards no vote of a burst is left, every
    honest visitor's last vote is there, and the tally is its votes exactly."""
    rounds, expected, cast = 8, {}, []
    errors: list[BaseException] = []
    stop = threading.Event()

    def voter(n: int):
        try:
            with app.app_context():
                i = 0
                while not stop.is_set():
                    visitor = f"v{n}-{i % 6}"
                    if i % 5 == 4:
                        votes.withdraw(SLUG, visitor)
                        expected.pop(visitor, None)
                    else:
                        stars = (n + i) % 5 + 1
                        votes.cast(SLUG, visitor, stars)
                        expected[visitor] = stars
                    cast.append(visitor)
                    i += 1
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    def stuffer():
        # Changes the stars of votes in the burst being removed: a vote row locked, then the
        # tally, the order a removal must take its locks in too, or the two deadlock.
        try:
            with app.app_context():
                i = 0
                while not stop.is_set():
                    votes.cast(SLUG, f"burst{len(windows) - 1}-{i % 20}", i % 5 + 1)
                    i += 1
        except BaseException as error:
            errors.append(error)

    start = utcnow() - timedelta(days=10)
    windows = [(start, start)]
    stuff(app, "burst0", 20, start)
    workers = [threading.Thread(target=voter, args=(n,)) for n in range(3)]
    workers.append(threading.Thread(target=stuffer))
    for worker in workers:
        worker.start()
    try:
        with app.app_context():
            for n in range(rounds):
                when = windows[-1][0]
                burst = bursts.preview(FILM, when, when)
                assert burst.count == 20
                bursts.remove(FILM, when, when, burst.digest)
                db.session.remove()
                if n + 1 < rounds:
                    when = start + timedelta(days=n + 1)
                    stuff(app, f"burst{n + 1}", 20, when)
                    windows.append((when, when))
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert not errors, errors
    tally, counted = exact(app)
    assert tally == counted
    with app.app_context():
        honest = select(Vote.visitor, Vote.stars).where(Vote.visitor.startswith("v"))
        assert dict(db.session.execute(honest).all()) == expected
        in_a_window = select(Vote.id).where(Vote.created_at <= windows[-1][1])
        assert db.session.scalars(in_a_window).all() == []
        assert maintenance.verify() == []
    assert len(cast) > rounds, "the votes were not cast while the bursts were removed"
