"""`flask --app wsgi ratings verify [--fix]`: the tallies checked against their votes."""

import click
from flask.cli import AppGroup

from ..core import maintenance

cli = AppGroup("ratings", help="Check the vote tallies.")


@cli.command("verify")
@click.option("--fix", is_flag=True, help="Set the tallies to the recounted numbers.")
def verify(fix: bool) -> None:
    """Recount the votes of every film and report any tally that drifted from them."""
    drifts = maintenance.verify(fix=fix)
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
