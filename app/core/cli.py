"""Command-line tools for the operator: `flask --app wsgi db|backup|export|import ...`, and
every feature's own group (films, ratings, comments) registered beside them."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo, with_appcontext

from ..extensions import db
from . import maintenance, transfer

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
def backup(path: Path) -> None:
    """Copy the live SQLite database to a new file PATH, safely while the site serves."""
    try:
        maintenance.backup_sqlite(path)
    except (maintenance.NotSQLite, FileExistsError) as error:
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
    if drifts := maintenance.verify():
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


def register(app: Flask, *groups: click.Group) -> None:
    app.cli.add_command(MigrateCommands("db", help="Perform database migrations."))
    for group in groups:
        app.cli.add_command(group)
    app.cli.add_command(backup)
    app.cli.add_command(export)
    app.cli.add_command(import_)
