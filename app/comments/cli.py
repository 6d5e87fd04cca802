"""`flask --app wsgi comments list|approve|delete`: moderation from the shell."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..core.parsing import ID_MAX
from ..extensions import db
from ..models import Film
from . import moderation

# An id past any column's range is an unknown id, not a database error.
_ID = click.IntRange(1, ID_MAX)
cli = AppGroup("comments", help="Moderate comments: list, approve, delete.")


@cli.command("list")
@click.option("--pending", is_flag=True, help="Only the comments awaiting approval.")
@click.option("--film", "slug", metavar="SLUG", help="Only the comments on this film.")
def list_comments(pending: bool, slug: str | None) -> None:
    """Comments, oldest first: id, status, film, date, name and the start of the text."""
    film_id = None
    if slug is not None:
        film_id = db.session.scalar(select(Film.id).where(Film.slug == slug))
        if film_id is None:
            raise click.ClickException(f"no film with slug '{slug}'")
    rows = moderation.for_moderation(pending_only=pending, film_id=film_id)
    for row in rows:
        text = " ".join(row.body.split())
        text = text if len(text) <= 70 else text[:69] + "…"
        click.echo(
            f"{row.id}\t{row.status}\t{row.slug}\t{row.created_at:%Y-%m-%d %H:%M}"
            f"\t{row.name}: {text}"
        )
    kind = ("pending " if pending else "") + ("comment" if len(rows) == 1 else "comments")
    click.echo(f"{len(rows)} {kind}" if rows else f"no {kind}")


def _moderate(change, ids: tuple[int, ...]):
    try:
        return change(list(ids))
    except moderation.UnknownComments as unknown:
        raise click.ClickException(f"{unknown}; nothing was changed") from None


@cli.command("approve")
@click.argument("ids", nargs=-1, type=_ID, required=True)
def approve_comments(ids: tuple[int, ...]) -> None:
    """Show held comments on their film page. Unknown ids change nothing."""
    approved = set(_moderate(moderation.approve, ids))
    for comment_id in sorted(set(ids)):
        click.echo(f"{comment_id}: {'approved' if comment_id in approved else 'already approved'}")


@cli.command("delete")
@click.argument("ids", nargs=-1, type=_ID, required=True)
def delete_comments(ids: tuple[int, ...]) -> None:
    """Delete comments for good. Unknown ids change nothing."""
    _moderate(moderation.remove, ids)
    for comment_id in sorted(set(ids)):
        click.echo(f"{comment_id}: deleted")
