"""What search engines read: the schema.org Movie description of a film page."""

from collections.abc import Iterable

from flask import current_app

from ..core.markdown import excerpt
from ..core.urls import absolute_url
from ..models import Film
from ..ratings.summary import Summary
from . import posters


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


# BCP 47 codes of the languages films are most often in, by the English name a film file gives.
# A name not here is left out of the JSON-LD rather than guessed at.
LANGUAGE_CODES = {
    "Arabic": "ar",
    "Bengali": "bn",
    "Cantonese": "yue",
    "Chinese": "zh",
    "Czech": "cs",
    "Danish": "da",
    "Dutch": "nl",
    "English": "en",
    "Finnish": "fi",
    "French": "fr",
    "German": "de",
    "Greek": "el",
    "Hebrew": "he",
    "Hindi": "hi",
    "Hungarian": "hu",
    "Italian": "it",
    "Japanese": "ja",
    "Korean": "ko",
    "Latin": "la",
    "Mandarin": "cmn",
    "Norwegian": "no",
    "Persian": "fa",
    "Polish": "pl",
    "Portuguese": "pt",
    "Romanian": "ro",
    "Russian": "ru",
    "Spanish": "es",
    "Swedish": "sv",
    "Tamil": "ta",
    "Thai": "th",
    "Turkish": "tr",
    "Ukrainian": "uk",
    "Vietnamese": "vi",
}


def language_codes(languages: str) -> list[str]:
    """The BCP 47 codes of a film's languages (stored as "English, Russian"), known ones only."""
    names = (name.strip() for name in languages.split(","))
    return list(dict.fromkeys(LANGUAGE_CODES[name] for name in names if name in LANGUAGE_CODES))


def _people(film: Film, role: str) -> list[dict]:
    return [{"@type": "Person", "name": c.name} for c in film.credits if c.role == role]


def author_name(film: Film) -> str | None:
    """The byline's name: its author's display name; none when no owner with a name wrote it."""
    return (film.author.display_name.strip() or None) if film.author else None


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def review(film: Film) -> dict | None:
    """The owner's Review of the film, when they scored it: the site publishes it, its author
    (or the site, for a film no named owner wrote) signs it."""
    if film.score_halves is None:
        return None
    site = {
        "@type": "Organization",
        "name": current_app.config["SITE_NAME"],
        "url": absolute_url("films.index"),
    }
    name = author_name(film)
    return {
        "@type": "Review",
        "author": {"@type": "Person", "name": name} if name else site,
        "publisher": site,
        "datePublished": film.published_on.isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": _number(film.score_halves / 2),
            "bestRating": 5,
            "worstRating": 0.5,
        },
        "description": film.verdict or excerpt(film.body, 160),
    }


def movie(film: Film) -> dict:
    """A schema.org Movie, without its rating: the same for every visitor of a film version."""
    codes = language_codes(film.languages)
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute_url("films.show", slug=film.slug),
        "image": posters.picture(film).share_url,
        "description": excerpt(film.body, 160),
        "director": _people(film, "director"),
        "actor": _people(film, "starring"),
        "datePublished": film.releases[0].released_on.isoformat() if film.releases else None,
        "duration": iso_duration(film.running_time) if film.running_time else None,
        "countryOfOrigin": {"@type": "Country", "name": film.country} if film.country else None,
        # schema.org takes one value or several.
        "inLanguage": codes[0] if len(codes) == 1 else codes,
        # When the film was first shown anywhere.
        "dateCreated": min(r.released_on for r in film.releases).isoformat()
        if film.releases
        else None,
        "review": review(film),
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
            "ratingValue": _number(float(average)),
            "ratingCount": summary.count,
            "bestRating": 5,
            "worstRating": 1,
        },
    }


def item_list(slugs: Iterable[str]) -> dict:
    """A schema.org ItemList of films' pages, in the order the page lists them."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": absolute_url("films.show", slug=slug),
            }
            for position, slug in enumerate(slugs, start=1)
        ],
    }
