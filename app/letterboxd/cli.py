"""`flask --app wsgi letterboxd import reviews.csv` and `letterboxd export PATH.csv`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from . import files

cli = AppGroup("letterboxd", help="The owner's reviews from and to Letterboxd.")


@cli.command("import")
@click.argument("reviews", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_reviews(reviews: Path) -> None:
    """A draft per film of Letterboxd's reviews.csv not yet here (by title and year), with the
    owner's score and review; films already here are reported and left as they are."""
    try:
        report = files.import_reviews(reviews)
    except files.LetterboxdError as error:
        raise click.ClickException(f"{reviews.name}: {error}; nothing was changed") from None
    for line in report.lines():
        click.echo(line)


@cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_reviews(path: Path) -> None:
    """The owner's scores and reviews as a CSV that Letterboxd's importer reads."""
    click.echo(f"{files.export_reviews(path)} reviews written to {path}")
