"""A WordPress blog into Marquee, in one transaction: posts as films with their reviews,
categories as genres, comments, Rate My Post's votes, featured images as posters, the About
page, and a redirect from every old address. Run twice, the second run adds nothing.

What the export cannot say stays empty for the owner to fill in: a film's year, its credits.
Bylines: a post's author is matched to an owner by e-mail, then by display name; an author
with no account here is reported and the film has no byline (no account is made for them: an
account is someone who may sign in to the admin).
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from ..core import redirects, revision
from ..core.database import write_transaction
from ..core.urls import path_for
from ..extensions import db
from ..films import posters
from ..models import Comment, Film, Genre, Page, Redirect, Tally, User, Vote, utcnow
from ..search.index import index_film
from ..search.text import slug as make_slug
from . import convert, wxr

# WordPress's statuses: what a post becomes here, or why it is left out.
LIVE, SCHEDULED, DRAFT = "live", "scheduled", "draft"
STATUSES = {"publish": LIVE, "future": SCHEDULED, "draft": DRAFT, "pending": DRAFT}
# The category every post is in until given another: not a genre.
UNCATEGORIZED = "uncategorized"
# Rate My Post's post meta: how many votes, and the sum of their stars.
RMP_COUNT, RMP_SUM = "rmp_vote_count", "rmp_rating_val_sum"
CSV_COLUMNS = ("id", "time", "ip", "country", "user", "post", "value")


class ImportError_(ValueError):
    """A file that cannot be imported: nothing has changed."""


@dataclass
class Report:
    """What an import made (or, with --dry-run, would make), and what it left out and why."""

    new: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        order = ("films", "genres", "comments", "votes", "posters", "redirects", "pages")
        made = ", ".join(f"{self.new[kind]} {kind}" for kind in order)
        total = sum(self.new.values())
        return [
            f"{total} new: {made}" if total else "0 new: everything was imported before",
            *(f"skipped: {line}" for line in self.skipped),
            *(f"note: {line}" for line in self.notes),
        ]


def _day(gmt: str, local: str) -> date:
    """A post's day: its UTC date; a draft's is unset (0000-00-00), then its local date."""
    for raw in (gmt, local):
        if raw and not raw.startswith("0000"):
            return datetime.fromisoformat(raw).date()
    return datetime.now(UTC).date()


def _moment(raw: str) -> datetime:
    if not raw or raw.startswith("0000"):
        return utcnow()
    return datetime.fromisoformat(raw)


def _old_path(url: str) -> str | None:
    """The path a redirect is kept under (app/core/redirects.py), or none for the home page."""
    parts = urlsplit(url)
    path = redirects.key(parts.path or "/", parts.query)
    return None if path == "/" else path


class _Import:
    def __init__(self, uploads: Path | None, dry_run: bool):
        self.uploads = uploads
        self.dry_run = dry_run
        self.report = Report()
        self.authors: dict[str, wxr.Author] = {}
        self.attachments: dict[int, str] = {}
        # Ids, not objects: the session lets go of each film once it is written, so that the
        # import's memory stays flat however many posts there are.
        self.thumbnails: list[tuple[int, int, str]] = []
        self.films: dict[int, int] = {}  # film ids by WordPress post id, new or found
        self.categories: dict[str, Genre] = {}
        self.term_ids: dict[str, int] = {}  # categories' ids by nicename, for `/?cat=ID`
        self.tags: dict[str, str] = {}  # tags' names by nicename: Marquee has no tags
        self.genres: dict[str, Genre] = {}
        self.paths = set(db.session.scalars(select(Redirect.old_path)))
        self.slugs = set(db.session.scalars(select(Film.slug)))
        self.owners = db.session.scalars(select(User)).all()
        # Films whose comments or votes this import adds to: their kept pages must renew.
        self.changed: set[int] = set()

    # Redirects -------------------------------------------------------------------------
    def redirect(self, old_path: str | None, film_id: int | None = None, target: str | None = None):
        if old_path is None or old_path in self.paths:
            return
        self.paths.add(old_path)
        db.session.add(Redirect(old_path=old_path, film_id=film_id, target=target))
        self.report.new["redirects"] += 1

    # Items -----------------------------------------------------------------------------
    def item(self, item: wxr.Item) -> None:
        if item.post_type == "attachment":
            self.attachments[item.id] = (
                item.meta.get("_wp_attached_file")
                or urlsplit(item.attachment_url).path.split("/wp-content/uploads/")[-1]
            )
        elif item.post_type == "page":
            self.page(item)
        elif item.post_type == "post":
            self.tags.update(item.tags)
            self.post(item)
        elif item.post_type not in ("nav_menu_item", "revision", "wp_navigation"):
            self.report.skipped.append(f"line {item.line}: {item.post_type} {item.id}: not a post")

    def page(self, item: wxr.Item) -> None:
        if item.name != "about":
            self.report.skipped.append(f"page {item.name or item.id}: only the About page is kept")
            return
        self.redirect(_old_path(item.link), target=path_for("pages.about"))
        self.redirect(f"/?page_id={item.id}", target=path_for("pages.about"))
        if db.session.scalar(select(Page.id).where(Page.slug == "about")) is not None:
            return  # the owner's own About page, or the one imported before, stays
        body, notes = convert.to_markdown(item.content)
        self.report.notes += [f"About page: {note}" for note in notes]
        db.session.add(Page(slug="about", title=item.title or "About", body=body))
        self.report.new["pages"] += 1

    def post(self, item: wxr.Item) -> None:
        status = STATUSES.get(item.status)
        label = f"post {item.id} {item.title!r}"
        if status is None:
            self.report.skipped.append(f"{label}: {item.status}")
            return
        film_id = db.session.scalar(select(Film.id).where(Film.wp_post_id == item.id))
        new = film_id is None
        if new:
            film_id = self.new_film(item, status, label)
        self.films[item.id] = film_id
        self.redirect(f"/?p={item.id}", film_id=film_id)
        self.redirect(_old_path(item.link), film_id=film_id)
        self.comments(film_id, item, new)
        db.session.flush()
        # Written: the session need not keep them (it holds its objects weakly once flushed).
        db.session.expunge_all()

    def new_film(self, item: wxr.Item, status: str, label: str) -> int:
        body, notes = convert.to_markdown(item.content)
        self.report.notes += [f"{label}: {note}" for note in notes]
        count, total = self.rmp_totals(item, label)
        film = Film(
            wp_post_id=item.id,
            slug=self.free_slug(item.name or make_slug(item.title or f"post-{item.id}"), label),
            title=item.title or f"Untitled post {item.id}",
            year=None,
            published_on=_day(item.date_gmt, item.date),
            is_published=status != DRAFT,
            body=body,
            author=self.owner(item.creator, label),
            tally=Tally(
                count=0, s1=0, s2=0, s3=0, s4=0, s5=0, imported_count=count, imported_sum=total
            ),
        )
        film.genres = self.post_genres(item)
        db.session.add(film)
        index_film(film)
        db.session.flush()
        self.report.new["films"] += 1
        if thumbnail := item.meta.get("_thumbnail_id"):
            self.thumbnails.append((film.id, int(thumbnail) if thumbnail.isdigit() else 0, label))
        return film.id

    def free_slug(self, wanted: str, label: str) -> str:
        wanted = make_slug(wanted)
        slug, n = wanted, 1
        while slug in self.slugs:
            n += 1
            slug = f"{wanted}-{n}"
        if slug != wanted:
            self.report.notes.append(f"{label}: slug {wanted!r} is taken here; it is {slug!r}")
        self.slugs.add(slug)
        return slug

    def owner(self, login: str, label: str) -> User | None:
        author = self.authors.get(login)
        if author is None:
            return None
        for user in self.owners:
            if author.email and user.email == author.email.casefold():
                return user
        for user in self.owners:
            if user.display_name and user.display_name.casefold() == author.display_name.casefold():
                return user
        note = (
            f"author {author.display_name!r} ({author.email}) has no account here: their posts"
            " have no byline (`flask users create` them, then set it in the admin)"
        )
        if note not in self.report.notes:
            self.report.notes.append(note)
        return None

    def post_genres(self, item: wxr.Item) -> list[Genre]:
        found = {}
        for nicename, name in item.categories:
            if nicename == UNCATEGORIZED or not name:
                continue
            slug = make_slug(name)
            genre = self.genres.get(slug) or db.session.scalar(
                select(Genre).where(Genre.slug == slug)
            )
            if genre is None:
                genre = Genre(slug=slug, name=name)
                db.session.add(genre)
                self.report.new["genres"] += 1
            self.genres[slug] = genre
            self.categories[nicename or slug] = genre
            found[slug] = genre
        return list(found.values())

    def rmp_totals(self, item: wxr.Item, label: str) -> tuple[int, int]:
        raw = (item.meta.get(RMP_COUNT, "0") or "0", item.meta.get(RMP_SUM, "0") or "0")
        if not all(value.isdigit() for value in raw):
            raise ImportError_(f"line {item.line}: {label}: Rate My Post totals {raw}: not counts")
        count, total = int(raw[0]), int(raw[1])
        if not count <= total <= 5 * count:
            raise ImportError_(
                f"line {item.line}: {label}: {total} stars cannot come from {count} votes of 1 to 5"
            )
        return count, total

    # Comments --------------------------------------------------------------------------
    def comments(self, film_id: int, item: wxr.Item, new: bool) -> None:
        keys = [f"wp:comment:{comment.id}" for comment in item.comments]
        existing = {}
        if not new and keys:
            existing = dict(
                db.session.execute(
                    select(Comment.visitor, Comment).where(
                        Comment.film_id == film_id, Comment.visitor.in_(keys)
                    )
                ).all()
            )
        parents = {comment.id: comment.parent for comment in item.comments}
        made: dict[int, Comment] = {}
        for comment in sorted(item.comments, key=lambda c: (c.date_gmt, c.id)):
            label = f"comment {comment.id} on post {item.id}"
            if comment.kind in ("pingback", "trackback"):
                self.report.skipped.append(f"{label}: a {comment.kind}")
                continue
            if comment.approved not in ("1", "0"):
                self.report.skipped.append(f"{label}: {comment.approved}")
                continue
            key = f"wp:comment:{comment.id}"
            if key in existing:
                made[comment.id] = existing[key]
                continue
            # Replies nest one level here: a reply to a reply answers the thread's first comment.
            top = comment.parent
            while parents.get(top):
                top = parents[top]
            parent = made.get(top) if top else None
            if top and parent is None:
                self.report.notes.append(f"{label}: its thread is not kept; shown on its own")
            made[comment.id] = added = Comment(
                film_id=film_id,
                parent_id=parent.id if parent else None,
                name=(comment.author or "Anonymous")[: Comment.NAME_MAX],
                body=convert.plain_text(comment.content),
                visitor=key,
                status=Comment.APPROVED if comment.approved == "1" else Comment.PENDING,
                created_at=_moment(comment.date_gmt),
            )
            db.session.add(added)
            self.changed.add(film_id)
            if comment.id in parents.values():
                db.session.flush()  # its replies name its id
            self.report.new["comments"] += 1

    # After the stream ------------------------------------------------------------------
    def finish(self) -> None:
        for nicename, genre in self.categories.items():
            target = path_for("browse.genre", slug=genre.slug)
            self.redirect(f"/category/{nicename}", target=target)
            if nicename in self.term_ids:
                self.redirect(f"/?cat={self.term_ids[nicename]}", target=target)
        if self.tags:
            names = ", ".join(sorted(self.tags.values(), key=str.casefold))
            self.report.skipped.append(
                f"{len(self.tags)} tag(s), {names}: Marquee has no tags; /tag/… addresses are not"
                " redirected"
            )
        self.redirect("/feed", target=path_for("feeds.site"))
        self.redirect("/comments/feed", target=path_for("feeds.site"))
        for film_id, attachment, label in self.thumbnails:
            self.poster(film_id, attachment, label)

    def poster(self, film_id: int, attachment: int, label: str) -> None:
        relative = self.attachments.get(attachment)
        if relative is None:
            self.report.notes.append(f"{label}: its featured image is not in the export")
            return
        path = (self.uploads / relative) if self.uploads else None
        if path is None or not path.is_file():
            where = f"under {self.uploads}" if self.uploads else "(no --uploads given)"
            self.report.notes.append(f"{label}: featured image {relative} not found {where}")
            return
        try:
            data = path.read_bytes()
            if self.dry_run:
                posters.process(data, path.name)  # checked, nothing kept
            else:
                posters.store(db.session.get(Film, film_id), data, path.name)
        except posters.PosterError as error:
            self.report.notes.append(f"{label}: featured image refused: {error}")
            return
        self.report.new["posters"] += 1

    def votes(self, path: Path) -> None:
        """Rate My Post's vote log: each vote once, under a visitor key of its own (`wp:` and
        the log's id, which no visitor's random id can be); the film's totals it replaces."""
        db.session.flush()
        seen = set(db.session.scalars(select(Vote.visitor).where(Vote.visitor.like("wp:%"))))
        logged: dict[int, Counter] = {}
        tallies: dict[int, Tally] = {}
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = csv.DictReader(stream)
            needed = ("id", "time", "post", "value")
            if missing := [c for c in needed if c not in (rows.fieldnames or [])]:
                raise ImportError_(
                    f"{path.name}: no column {', '.join(missing)} (the table's: {CSV_COLUMNS})"
                )
            for line, row in enumerate(rows, start=2):
                try:
                    vote_id, post_id, stars = int(row["id"]), int(row["post"]), int(row["value"])
                    at = datetime.fromisoformat(row["time"])
                except (TypeError, ValueError):
                    raise ImportError_(f"{path.name} line {line}: not a vote: {row}") from None
                if not 1 <= stars <= 5:
                    raise ImportError_(f"{path.name} line {line}: {stars} stars is not 1 to 5")
                film_id = self.films.get(post_id)
                if film_id is None:
                    self.report.skipped.append(f"vote {vote_id}: post {post_id} is not imported")
                    continue
                logged.setdefault(post_id, Counter())[stars] += 1
                visitor = f"wp:{vote_id}"
                if visitor in seen:
                    continue
                seen.add(visitor)
                vote = Vote(film_id=film_id, visitor=visitor, stars=stars)
                vote.created_at = vote.updated_at = at
                db.session.add(vote)
                if film_id not in tallies:
                    tallies[film_id] = db.session.get(Tally, film_id)
                tally = tallies[film_id]
                setattr(tally, f"s{stars}", getattr(tally, f"s{stars}") + 1)
                tally.count += 1
                self.changed.add(film_id)
                self.report.new["votes"] += 1
        for post_id, counts in logged.items():
            tally = tallies.get(self.films[post_id]) or db.session.get(Tally, self.films[post_id])
            count, total = sum(counts.values()), sum(s * n for s, n in counts.items())
            totals = (tally.imported_count, tally.imported_sum)
            if tally.imported_count and totals != (count, total):
                self.report.notes.append(
                    f"post {post_id}: the vote log has {count} votes ({total} stars), Rate My"
                    f" Post's totals {totals[0]} ({totals[1]}): the log is kept"
                )
            # The votes themselves are here now: their totals would count them twice.
            tally.imported_count = tally.imported_sum = 0


class _DryRun(Exception):
    """Raised at the end of a dry run: the transaction is rolled back, nothing kept."""


def run(export: Path, votes: Path | None, uploads: Path | None, dry_run: bool) -> Report:
    """Import the export (and the vote log) in one write transaction, rolled back on any error
    and at the end of a dry run; the report of what was (or would be) made."""
    try:
        with write_transaction():
            job = _Import(uploads, dry_run)
            for found in wxr.read(export):
                if isinstance(found, wxr.Author):
                    job.authors[found.login] = found
                elif isinstance(found, wxr.Category):
                    job.term_ids[found.nicename] = found.term_id
                else:
                    job.item(found)
            job.finish()
            if votes is not None:
                job.votes(votes)
            db.session.flush()
            revision.page_changed(db.session, job.changed)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except wxr.WXRError as error:
        raise ImportError_(f"{export.name}: {error}") from None
    return job.report
