"""`flask --app wsgi films import|list`: films are content, loaded from TOML files."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Film
from . import content

cli = AppGroup("films", help="Load and list films.")


@cli.command("import")
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


@cli.command("list")
def list_films() -> None:
    """Every film with its slug and vote count."""
    for film in db.session.scalars(select(Film).order_by(Film.published_on.desc())):
        state = "" if film.is_published else " (unpublished)"
        year = f" ({film.year})" if film.year else ""
        click.echo(f"{film.slug}\t{film.title}{year}\t{film.tally.count} votes{state}")
