"""`flask --app wsgi letterboxd import reviews.csv [--owner EMAIL] [--dry-run]` and
`flask --app wsgi letterboxd export PATH.csv`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from . import reviews

cli = AppGroup("letterboxd", help="The owner's reviews from and to Letterboxd.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", metavar="EMAIL", help="Whose reviews they are; needed with 2+ owners.")
@click.option("--dry-run", is_flag=True, help="Say what would be made; change nothing.")
def import_reviews(path: Path, owner: str | None, dry_run: bool) -> None:
    """A draft per film of Letterboxd's reviews.csv not yet here (by title and year), with the
    owner's score and review; films already here are reported and left as they are."""
    try:
        report = reviews.import_file(path, owner, dry_run)
    except reviews.LetterboxdError as error:
        raise click.ClickException(f"{error}; nothing was changed") from None
    if dry_run:
        click.echo("dry run: nothing was changed; an import would make:")
    for line in report.lines():
        click.echo(line)


@cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_reviews(path: Path) -> None:
    """The owner's scores and reviews to a new CSV file, in the columns Letterboxd imports."""
    try:
        written, without_year = reviews.export_file(path)
    except reviews.LetterboxdError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{written} reviews written to {path}")
    if without_year:
        click.echo(
            f"note: {without_year} of them have no year (give it in the admin): Letterboxd"
            " matches those by title alone, and `letterboxd import` here refuses them"
        )
