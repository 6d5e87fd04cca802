"""What search engines read: the schema.org Movie description of a film page."""

from flask import url_for

from ..core.text import summary_line
from ..models import Film
from ..ratings.summary import Summary
from . import posters


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _people(film: Film, role: str) -> list[dict]:
    return [{"@type": "Person", "name": c.name} for c in film.credits if c.role == role]


def movie(film: Film) -> dict:
    """A schema.org Movie, without its rating: the same for every visitor of a film version."""
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": url_for("films.show", slug=film.slug, _external=True),
        "image": posters.picture(film).share_url,
        "description": summary_line(film.lead),
        "director": _people(film, "director"),
        "actor": _people(film, "starring"),
        "datePublished": film.releases[0].released_on.isoformat() if film.releases else None,
        "duration": iso_duration(film.running_time) if film.running_time else None,
        "countryOfOrigin": {"@type": "Country", "name": film.country} if film.country else None,
        "inLanguage": film.languages or None,
    }
    if film.based_on_title:
        data["isBasedOn"] = {
            "@type": "Book",
            "name": film.based_on_title,
            "author": {"@type": "Person", "name": film.based_on_author},
        }
    return {key: value for key, value in data.items() if value not in (None, [])}


def with_rating(movie: dict, summary: Summary) -> dict:
    """The Movie with an aggregateRating of the block's numbers, and none without votes."""
    if not summary.count:
        return movie
    average = summary.average
    return {
        **movie,
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": int(average)
            if average == average.to_integral_value()
            else float(average),
            "ratingCount": summary.count,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
