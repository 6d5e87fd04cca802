"""`flask --app wsgi wordpress import EXPORT.xml [--votes CSV] [--uploads DIR] [--dry-run]`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from . import importer

cli = AppGroup("wordpress", help="Move a WordPress blog in.")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command("import")
@click.argument("export", type=_FILE)
@click.option("--votes", type=_FILE, help="Rate My Post's wp_rmp_analytics table as CSV.")
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The blog's wp-content/uploads directory, for the featured images.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be made; change nothing.")
def import_blog(export: Path, votes: Path | None, uploads: Path | None, dry_run: bool) -> None:
    """Posts, comments, votes, featured images and old addresses of a WordPress export (Tools →
    Export); all in one transaction, and nothing twice when run again."""
    try:
        report = importer.run(export, votes, uploads, dry_run)
    except importer.ImportError_ as error:
        raise click.ClickException(f"{error}; nothing was changed") from None
    if dry_run:
        click.echo("dry run: nothing was changed; an import would make:")
    for line in report.lines():
        click.echo(line)
