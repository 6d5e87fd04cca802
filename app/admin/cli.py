"""`flask --app wsgi users create|list|delete|set-password|set-name`: the owners who sign in to
/admin."""

import sys

import click
from flask.cli import AppGroup

from . import owners

cli = AppGroup("users", help="Owners who sign in to the admin (/admin).")

_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (for scripts)."
)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _run(action, *args) -> None:
    try:
        action(*args)
    except owners.OwnerError as error:
        raise click.ClickException(str(error)) from None


@cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="The name a review's byline shows.")
@_STDIN
def create(email: str, name: str, password_stdin: bool) -> None:
    """Create an owner; asks for the password twice, without showing it."""
    _run(owners.valid_name, name)
    _run(owners.create, email, _password(password_stdin), name)
    click.echo(f"created owner {owners.normal_email(email)}")


@cli.command("list")
def list_owners() -> None:
    """Every owner, with the date the account was made."""
    for owner in owners.every_owner():
        name = owner.display_name or "(no display name)"
        click.echo(f"{owner.email}\t{name}\tcreated {owner.created_at:%Y-%m-%d %H:%M} UTC")


@cli.command("delete")
@click.argument("email")
def delete(email: str) -> None:
    """Delete an owner; their sessions end with the account."""
    _run(owners.remove, email)
    click.echo(f"deleted owner {owners.normal_email(email)}")


@cli.command("set-password")
@click.argument("email")
@_STDIN
def set_password(email: str, password_stdin: bool) -> None:
    """Give an owner a new password; signs them out everywhere."""
    _run(owners.set_password, email, _password(password_stdin))
    click.echo(f"new password set for {owners.normal_email(email)}")


@cli.command("set-name")
@click.argument("email")
@click.argument("name")
def set_name(email: str, name: str) -> None:
    """Give an owner a new display name, the byline of their reviews."""
    _run(owners.set_name, email, name)
    click.echo(f"{owners.normal_email(email)} signs as {owners.valid_name(name)!r}")
