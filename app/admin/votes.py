"""Views: a film's votes per day (a chart and a table), and removing a burst of them after a
confirmation that says how many votes go and how the average changes."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for

from ..core.catalog import any_film_or_404
from ..ratings import bursts, history, votes
from . import bp


def _time(name: str, errors: dict) -> datetime | None:
    value = request.values.get(name, "").strip()
    if not value:
        errors[name] = "Enter a date and time."
        return None
    try:
        moment = datetime.fromisoformat(value)
        # Votes are dated in UTC without an offset: a time given with one is converted to that
        # (which for the first or last hours of the calendar is out of its range).
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        errors[name] = "Enter a date and time such as 2026-12-02T17:30:00."
        return None
    return moment.replace(tzinfo=None)


def _window() -> tuple[datetime | None, datetime | None, dict]:
    errors: dict[str, str] = {}
    start, end = _time("start", errors), _time("end", errors)
    if start and end and start > end:
        errors["end"] = "The end must come after the start."
    return start, end, errors


def _page(film, status: int = 200, errors: dict | None = None, **shown):
    body = render_template(
        "admin/votes.html",
        page_title=f"Votes on {film.title}",
        area="films",
        film=film,
        days=history.per_day(film.id),
        summary=votes.summary(film.id, None),
        errors=errors or {},
        values=request.values,
        **shown,
    )
    return body, status


@bp.get("/films/<slug>/votes")
def film_votes(slug: str):
    """Votes per day over the last 30 days, and the form to remove a burst."""
    return _page(any_film_or_404(slug))


@bp.get("/films/<slug>/votes/burst")
def burst_preview(slug: str):
    """The confirmation: how many votes the window holds, and the numbers before and after."""
    film = any_film_or_404(slug)
    start, end, errors = _window()
    if errors:
        return _page(film, 422, errors)
    burst = bursts.preview(film.id, start, end)
    return _page(film, burst=burst)


@bp.post("/films/<slug>/votes/burst")
def burst_remove(slug: str):
    """Remove the confirmed votes, unless the window's count changed since."""
    film = any_film_or_404(slug)
    start, end, errors = _window()
    digest = request.form.get("votes", "")
    if errors or not digest:
        return _page(film, 422, errors or {"start": "Check the window again."})
    try:
        burst = bursts.remove(film.id, start, end, digest)
    except bursts.BurstChanged as changed:
        return _page(film, 409, burst=changed.burst, burst_changed=True)
    flash(
        f"Removed {burst.count} {'vote' if burst.count == 1 else 'votes'}; the average went from"
        f" {burst.before.average or 'none'} to {burst.after.average or 'none'}.",
        "admin",
    )
    return redirect(url_for("admin.film_votes", slug=slug), code=303)
