"""Command-line tools for the site owner:
`flask --app wsgi films|ratings|comments|backup|export|import ...`."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, ScriptInfo, with_appcontext
from sqlalchemy import select

from . import content, discussion, transfer, votes
from .database import NotSQLite, backup_sqlite
from .extensions import db
from .models import Film

films_cli = AppGroup("films", help="Load and list films.")
ratings_cli = AppGroup("ratings", help="Check the vote tallies.")
comments_cli = AppGroup("comments", help="Moderate comments: list, approve, delete.")
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@films_cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--demo", is_flag=True, help="Load the bundled demo film, The Way Back.")
@click.option("--if-empty", is_flag=True, help="Only when the database has no film yet.")
def import_films(paths: tuple[Path, ...], demo: bool, if_empty: bool) -> None:
    """Create or update films from TOML files, by slug; a bad file changes nothing."""
    if if_empty and db.session.scalar(select(Film.id).limit(1)) is not None:
        click.echo("films already present; nothing imported")
        return
    files = [*paths, *([content.DEMO] if demo else [])]
    if not files:
        raise click.UsageError("name one or more TOML files, or --demo")
    try:
        outcomes = content.import_files(files)
    except content.FilmFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    for path, outcome in outcomes:
        click.echo(f"{outcome}: {path}")


@films_cli.command("list")
def list_films() -> None:
    """Every film with its slug and vote count."""
    for film in db.session.scalars(select(Film).order_by(Film.published_on.desc())):
        state = "" if film.is_published else " (unpublished)"
        click.echo(f"{film.slug}\t{film.title} ({film.year})\t{film.tally.count} votes{state}")


@ratings_cli.command("verify")
@click.option("--fix", is_flag=True, help="Set the tallies to the recounted numbers.")
def verify(fix: bool) -> None:
    """Recount the votes of every film and report any tally that drifted from them."""
    drifts = votes.verify(fix=fix)
    if not drifts:
        click.echo("ok: every tally matches its votes")
        return
    for drift in drifts:
        click.echo(
            f"film {drift.film_id}: tally (count, 1..5 stars) {drift.recorded},"
            f" votes say {drift.counted}" + (" — fixed" if fix else "")
        )
    if not fix:
        raise click.ClickException(f"{len(drifts)} tallies drifted; run with --fix to correct")


@comments_cli.command("list")
@click.option("--pending", is_flag=True, help="Only the comments awaiting approval.")
@click.option("--film", "slug", metavar="SLUG", help="Only the comments on this film.")
def list_comments(pending: bool, slug: str | None) -> None:
    """Comments, oldest first: id, status, film, date, name and the start of the text."""
    film_id = None
    if slug is not None:
        film_id = db.session.scalar(select(Film.id).where(Film.slug == slug))
        if film_id is None:
            raise click.ClickException(f"no film with slug '{slug}'")
    rows = discussion.for_moderation(pending_only=pending, film_id=film_id)
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
    except discussion.UnknownComments as unknown:
        raise click.ClickException(f"{unknown}; nothing was changed") from None


@comments_cli.command("approve")
@click.argument("ids", nargs=-1, type=int, required=True)
def approve_comments(ids: tuple[int, ...]) -> None:
    """Show held comments on their film page. Unknown ids change nothing."""
    approved = set(_moderate(discussion.approve, ids))
    for comment_id in sorted(set(ids)):
        click.echo(f"{comment_id}: {'approved' if comment_id in approved else 'already approved'}")


@comments_cli.command("delete")
@click.argument("ids", nargs=-1, type=int, required=True)
def delete_comments(ids: tuple[int, ...]) -> None:
    """Delete comments for good. Unknown ids change nothing."""
    _moderate(discussion.remove, ids)
    for comment_id in sorted(set(ids)):
        click.echo(f"{comment_id}: deleted")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
def backup(path: Path) -> None:
    """Copy the live SQLite database to a new file PATH, safely while the site serves."""
    try:
        backup_sqlite(path)
    except (NotSQLite, FileExistsError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up to {path}")


@click.command("export")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
def export(path: Path) -> None:
    """Write films, votes, tallies and comments to a new JSON Lines file PATH, from one snapshot."""
    try:
        counts = transfer.export(path)
    except transfer.TransferError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"exported to {path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@click.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(path: Path) -> None:
    """Load an export into this empty, migrated database, then check every tally."""
    try:
        counts = transfer.import_(path)
    except transfer.TransferError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"imported from {path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    if drifts := votes.verify():
        raise click.ClickException(
            f"{len(drifts)} tallies disagree with their votes (so they did in the export);"
            " `flask --app wsgi ratings verify --fix` recounts them"
        )
    click.echo("ok: every tally matches its votes")


def init_migrations(app: Flask) -> None:
    """Flask-Migrate on this app: done when a `db` command runs, not for every web worker."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)


class MigrateCommands(click.Group):
    """Flask-Migrate's `db` commands, imported only when one runs: alembic, which they load,
    would cost each web worker 11 MB of memory for commands it never serves."""

    @staticmethod
    def _commands(ctx: click.Context) -> click.Group:
        from flask_migrate.cli import db as commands

        init_migrations(ctx.ensure_object(ScriptInfo).load_app())
        return commands

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return self._commands(parent).make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context):
        return self._commands(ctx).invoke(ctx)


def register(app: Flask) -> None:
    app.cli.add_command(MigrateCommands("db", help="Perform database migrations."))
    app.cli.add_command(films_cli)
    app.cli.add_command(ratings_cli)
    app.cli.add_command(comments_cli)
    app.cli.add_command(backup)
    app.cli.add_command(export)
    app.cli.add_command(import_)
