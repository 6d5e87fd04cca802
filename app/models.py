"""Typed SQLAlchemy models: films and their content (credits, people, genres, search text), votes
and their per-film tallies, comments, and the owners who sign in to the admin."""

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    func,
    not_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core import sizes
from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Film(db.Model):
    __tablename__ = "films"
    __table_args__ = (
        # The home page's order, published films only. Holding all three, it lets a deep page
        # skip the films before it in the index alone, without reading their rows.
        Index("ix_films_newest", "is_published", "published_on", "id"),
        # A year's page, in the same order.
        Index("ix_films_year", "year", "published_on", "id"),
        # The admin's film list, in title order, a page at a time.
        Index("ix_films_title", "title", "id"),
        CheckConstraint("score_halves BETWEEN 1 AND 10", name="score_halves_range"),
    )

    # The longest verdict line, and the longest body the form and a film file take.
    VERDICT_MAX = sizes.VERDICT
    BODY_MAX = sizes.BODY

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    original_title: Mapped[str | None] = mapped_column(String(300))
    # None until the owner adds it: a post imported from a blog has no year (app/wordpress/).
    year: Mapped[int | None]
    published_on: Mapped[date]
    is_published: Mapped[bool] = mapped_column(default=True)
    # The owner's review in Markdown (app/core/markdown.py), rendered when the page is.
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The owner's own score in half stars (1 to 10: 0.5 to 5 stars), never mixed with the
    # visitors' votes; none when the owner gives none. The verdict is its one line.
    score_halves: Mapped[int | None] = mapped_column(SmallInteger)
    verdict: Mapped[str | None] = mapped_column(String(VERDICT_MAX))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The WordPress post it was imported from: a second import finds it here and adds nothing.
    wp_post_id: Mapped[int | None] = mapped_column(unique=True)
    based_on_title: Mapped[str | None] = mapped_column(String(300))
    based_on_author: Mapped[str | None] = mapped_column(String(300))
    running_time: Mapped[int | None]
    country: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The poster's renditions (app/films/posters.py): the digest that names them, and the size
    # of the largest; none, and the film shows a title card made from its title and year.
    poster: Mapped[str | None] = mapped_column(String(16))
    poster_width: Mapped[int | None]
    poster_height: Mapped[int | None]

    credits: Mapped[list["Credit"]] = relationship(
        back_populates="film", order_by="Credit.position", cascade="all, delete-orphan"
    )
    releases: Mapped[list["Release"]] = relationship(
        back_populates="film", order_by="Release.position", cascade="all, delete-orphan"
    )
    tally: Mapped["Tally"] = relationship(back_populates="film", cascade="all, delete-orphan")
    genres: Mapped[list["Genre"]] = relationship(secondary="film_genres", order_by="Genre.name")
    search: Mapped["FilmSearch | None"] = relationship(cascade="all, delete-orphan")
    author: Mapped["User | None"] = relationship()

    @classmethod
    def visible(cls) -> ColumnElement[bool]:
        """What a visitor may see: published, and dated today or before (the database's date,
        so that a film appears on its day without any change to its row)."""
        return and_(cls.is_published, cls.published_on <= func.current_date())

    # Where a film stands for the owners, in the admin's order: not published; published with
    # a date still to come; seen by visitors (visible()).
    STATUSES = ("draft", "scheduled", "live")

    @classmethod
    def status_is(cls, status: str) -> ColumnElement[bool]:
        """The films in that status, one of STATUSES; what visitors see is visible()'s alone."""
        return {
            "draft": not_(cls.is_published),
            "scheduled": and_(cls.is_published, not_(cls.visible())),
            "live": cls.visible(),
        }[status]

    @classmethod
    def status(cls) -> ColumnElement[str]:
        """The film's status as a column: `draft`, `scheduled` or `live`."""
        return case(*((cls.status_is(s), s) for s in cls.STATUSES[:-1]), else_=cls.STATUSES[-1])


class Credit(db.Model):
    """One name in the credits box: a person in a role, or a company."""

    # The roles a film file may give, in the credits box's order, with the box's labels.
    ROLES = (
        ("director", "Directed by"),
        ("screenplay", "Screenplay by"),
        ("producer", "Produced by"),
        ("starring", "Starring"),
        ("cinematography", "Cinematography"),
        ("editor", "Edited by"),
        ("music", "Music by"),
        ("production_company", "Production companies"),
        ("distributor", "Distributed by"),
    )

    # Roles held by companies, not people: they have no person page.
    COMPANY_ROLES = frozenset({"production_company", "distributor"})

    __tablename__ = "credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    # The person's page; none for a company.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    character: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int]

    film: Mapped[Film] = relationship(back_populates="credits")
    person: Mapped["Person | None"] = relationship()


class Person(db.Model):
    """Someone credited on films: one page, /people/<slug>, for every film of theirs."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made from the name with case and accents folded (app/search/text.py): `slawomir-rawicz`.
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))


class Genre(db.Model):
    __tablename__ = "genres"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class FilmGenre(db.Model):
    __tablename__ = "film_genres"
    # A genre's page finds its films from the genre (the primary key leads with the film).
    __table_args__ = (Index("ix_film_genres_genre_id_film_id", "genre_id", "film_id"),)

    film_id: Mapped[int] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), primary_key=True
    )
    genre_id: Mapped[int] = mapped_column(ForeignKey("genres.id"), primary_key=True)


class FilmSearch(db.Model):
    """What a film is found by, case and accents folded: its titles, and the names credited.

    Written with the film (app/search/index.py), in its transaction; the database's full-text
    index over it (app/search/schema.py) is not a model: an FTS5 table on SQLite, a GIN
    expression index on PostgreSQL."""

    __tablename__ = "film_search"

    film_id: Mapped[int] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(Text)
    people: Mapped[str] = mapped_column(Text)


class Release(db.Model):
    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    released_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]

    film: Mapped[Film] = relationship(back_populates="releases")


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("film_id", "visitor", name="uq_votes_film_visitor"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        # The admin's votes per day and a burst's removal read one film's votes by time.
        Index("ix_votes_film_id_created_at", "film_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"))
    # The visitor's random id from their session cookie (app/core/web.py); never an address.
    visitor: Mapped[str] = mapped_column(String(64))
    stars: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Tally(db.Model):
    """Per-film vote counters, changed in the same transaction as the votes they count."""

    __tablename__ = "tallies"
    __table_args__ = (
        CheckConstraint(
            "count = s1 + s2 + s3 + s4 + s5 AND s1 >= 0 AND s2 >= 0 AND s3 >= 0 AND s4 >= 0"
            " AND s5 >= 0",
            name="consistent",
        ),
        CheckConstraint(
            "imported_sum BETWEEN imported_count AND 5 * imported_count", name="imported_range"
        ),
    )

    film_id: Mapped[int] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column(Integer, default=0)
    s1: Mapped[int] = mapped_column(Integer, default=0)
    s2: Mapped[int] = mapped_column(Integer, default=0)
    s3: Mapped[int] = mapped_column(Integer, default=0)
    s4: Mapped[int] = mapped_column(Integer, default=0)
    s5: Mapped[int] = mapped_column(Integer, default=0)
    # Moves on with every change to the film's votes or shown comments: the film page keeps
    # its comments (which show each poster's current stars) rendered until this moves.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Votes the film had on a blog it was imported from, known only as totals (Rate My Post's
    # count and sum of stars): no row per vote, no stars per vote, so they are counted apart
    # from the votes above and never in a per-star histogram (app/ratings/summary.py).
    imported_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    imported_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    film: Mapped[Film] = relationship(back_populates="tally")

    # The counters of votes for 1 to 5 stars, by name: every query that reads or moves a tally
    # names its columns through these, never by their position in a row.
    STARS = (1, 2, 3, 4, 5)
    STAR_COLUMNS = ("s1", "s2", "s3", "s4", "s5")

    @classmethod
    def star_column(cls, stars: int):
        """The counter of votes for `stars` stars."""
        return getattr(cls, cls.STAR_COLUMNS[stars - 1])

    @classmethod
    def star_columns(cls) -> tuple:
        return tuple(cls.star_column(stars) for stars in cls.STARS)

    @classmethod
    def rating_columns(cls) -> tuple:
        """What a rating shows: the star counters, and the totals imported without them."""
        return (*cls.star_columns(), cls.imported_count, cls.imported_sum)

    @property
    def per_star(self) -> tuple[int, int, int, int, int]:
        return tuple(getattr(self, name) for name in self.STAR_COLUMNS)


class Comment(db.Model):
    """A visitor's comment on a film: shown when approved, kept back while pending."""

    __tablename__ = "comments"
    __table_args__ = (
        # The film page counts and pages through one film's approved comments that are no
        # reply (parent_id IS NULL) by date, from this index alone.
        Index(
            "ix_comments_film_id_status_parent_id_created_at",
            "film_id",
            "status",
            "parent_id",
            "created_at",
        ),
        CheckConstraint("status IN ('approved', 'pending')", name="status_known"),
    )

    APPROVED = "approved"
    PENDING = "pending"
    # The longest name the column holds; the form's limit (app/comments/forms.py).
    NAME_MAX = sizes.COMMENT_NAME

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    body: Mapped[str] = mapped_column(Text)
    # The poster's visitor id, so that their current vote on the film shows beside the comment.
    visitor: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An owner's reply (one level deep) names the comment it answers and the owner who wrote it.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class User(UserMixin, db.Model):
    """An owner, who signs in to the admin (app/admin/). Visitors have no account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Case-folded before it is stored or looked up (app/admin/owners.py), so unique means unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # The name a review's byline shows.
    display_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the id in the session cookie: a new one at sign-out or a new password makes every
    # copy of an older cookie worthless, as a cookie session cannot be deleted on the server.
    login_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When this owner was last mailed about held comments (app/comments/notify.py): at most
    # one message every MAIL_HELD_MINUTES, whichever worker or server sends it.
    held_mail_at: Mapped[datetime | None]

    def get_id(self) -> str:
        """What the session cookie holds for Flask-Login: the id and the current login token."""
        return f"{self.id}:{self.login_token}"


class SignInFailure(db.Model):
    """A failed sign-in to the admin, or one whose password is being checked (app/admin/
    throttle.py): in the database, so that every worker and server counts the same ones."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_address_at", "address", "at"),
        Index("ix_sign_in_failures_account_at", "account", "at"),
        Index("ix_sign_in_failures_device_at", "device", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The SHA-256 of the email named, known or not, in its normal form: no stranger's typing kept.
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    # The id of the device cookie it came with, when that was valid for the account.
    device: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Redirect(db.Model):
    """An address the site answered at before (a film's old slug, an imported blog's post
    address): a 301 to the film's current page, or to `target` (app/core/redirects.py)."""

    __tablename__ = "redirects"
    __table_args__ = (
        CheckConstraint("(film_id IS NULL) <> (target IS NULL)", name="film_or_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The path, with its query when that names the page (`/?p=42`), without a trailing slash.
    old_path: Mapped[str] = mapped_column(String(500), unique=True)
    film_id: Mapped[int | None] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"))
    target: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    film: Mapped[Film | None] = relationship()


class Page(db.Model):
    """A page of the site's own whose Markdown the owner writes in the admin: /about."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
