"""The admin's film form: a film file's fields as text boxes, read into the plain dict that
content.validate() checks (the one definition of a valid film), and its problems put back
beside the boxes they belong to."""

import re
from datetime import date

from ..core.parsing import NotAWholeNumber, whole_number
from ..films import content, posters
from ..models import Credit, Film
from ..search.text import slug as slug_of

ROLE_LABELS = dict(Credit.ROLES)
# (name, label, hint): the name is the film file's own, dotted for tables.
TEXT_FIELDS = (
    ("title", "Title", None),
    ("original_title", "Original title", "When the film was released under another title."),
    (
        "slug",
        "Slug",
        "The film's address: /films/SLUG. Lower-case letters, digits, hyphens; made from the"
        " title when left empty.",
    ),
    ("year", "Year", "The year of release, such as 2010."),
    ("published", "Published on", "The review appears on the site from this day on."),
    ("running_time", "Running time", "In minutes; may be left empty."),
    ("country", "Country", None),
    ("languages", "Languages", "Separated by commas: English, Polish."),
    ("genres", "Genres", "Separated by commas: Drama, Adventure."),
    ("based_on.title", "Based on (title)", None),
    ("based_on.author", "Based on (author)", None),
)
BODY_HINT = (
    "Markdown: a blank line starts a paragraph, ## a heading, *emphasis*, [a link](/films/slug),"
    " > a quotation, - a list; a block fenced with ```spoiler hides its text until opened."
)
VERDICT_HINT = f"One line, at most {Film.VERDICT_MAX} characters."
# The score box's choices: (value, label); empty is no score of the owner's.
SCORE_CHOICES = (
    ("", "No score"),
    *((f"{score:g}", f"{score:g} of 5") for score in content.SCORES),
)
CREDITS_HINT = "One name a line; a character after a vertical bar: Jim Sturgess | Janusz."
POSTER_HINT = (
    f"Optional: a JPEG, PNG or WebP image of at most {posters.MAX_BYTES // 1024 // 1024} MB,"
    " re-encoded with nothing of the file kept but the picture. Choose it again after a problem."
)
POSTER_ACCEPT = ",".join((*posters.SUFFIXES, "image/jpeg", "image/png", "image/webp"))
RELEASES_HINT = "One a line: the date, then the place: 2010-09-03 Telluride Film Festival."
# Digits enough for any year or running time; content.validate() says which ones are plausible.
_NUMBER_MAX = 999_999
_INDEXED = re.compile(r"^(?P<field>[^\[]+)\[(?P<index>\d+)\](?:\.(?P<part>.+))?$")


def values_of(data: dict) -> dict[str, str]:
    """A film's plain dict (content.as_data()) as the text in each box of the form."""
    values = {
        "slug": data.get("slug", ""),
        "title": data.get("title", ""),
        "original_title": data.get("original_title", ""),
        "year": str(data.get("year", "")),
        "published": data["published"].isoformat() if data.get("published") else "",
        "is_published": "on" if data.get("is_published", True) else "",
        "running_time": str(data.get("running_time") or ""),
        "country": data.get("country", ""),
        "languages": ", ".join(data.get("languages", [])),
        "genres": ", ".join(data.get("genres", [])),
    }
    for part in ("title", "author"):
        values[f"based_on.{part}"] = data.get("based_on", {}).get(part, "")
    values["body"] = data.get("body", "")
    values["score"] = f"{data['score']:g}" if data.get("score") is not None else ""
    values["verdict"] = data.get("verdict", "")
    for role in content.CREDIT_ROLES:
        lines = []
        for entry in data.get("credits", {}).get(role, []):
            is_dict = isinstance(entry, dict)
            lines.append(f"{entry['name']} | {entry['character']}" if is_dict else entry)
        values[f"credits.{role}"] = "\n".join(lines)
    values["releases"] = "\n".join(
        f"{r['date'].isoformat()} {r['place']}" for r in data.get("releases", [])
    )
    return values


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def data_from(form) -> tuple[dict, dict[str, str]]:
    """What the form sent as a film's plain dict, and the boxes whose text is not even of the
    right kind (a year that is not a number), with what to write there instead. A slug left
    empty is made from the title (as static/slug.js does while one types a new film's)."""
    text = {name: form.get(name, "").replace("\r\n", "\n").strip() for name in form}
    if not text.get("slug") and text.get("title"):
        text["slug"] = slug_of(text["title"])
    errors: dict[str, str] = {}
    data: dict = {"is_published": form.get("is_published") == "on"}
    for name in ("slug", "title", "original_title", "country", "body", "verdict"):
        if text.get(name):
            data[name] = text[name]
    for name, words in (("year", "a year such as 2010"), ("running_time", "a number of minutes")):
        if text.get(name):
            try:
                data[name] = whole_number(text[name], lo=0, hi=_NUMBER_MAX)
            except NotAWholeNumber:
                errors[name] = f"Enter {words}."
    if text.get("published"):
        try:
            data["published"] = date.fromisoformat(text["published"])
        except ValueError:
            errors["published"] = "Enter a date such as 2024-07-20."
    for name in ("languages", "genres"):
        data[name] = [part.strip() for part in text.get(name, "").split(",") if part.strip()]
    data["based_on"] = {
        p: text[f"based_on.{p}"] for p in ("title", "author") if text.get(f"based_on.{p}")
    }
    if text.get("score"):
        try:
            data["score"] = float(text["score"])
        except ValueError:
            errors["score"] = "Choose a score from the list."
    credits: dict[str, list] = {}
    for role in content.CREDIT_ROLES:
        entries: list = []
        for line in _lines(text.get(f"credits.{role}", "")):
            name, bar, character = (part.strip() for part in line.partition("|"))
            entries.append({"name": name, "character": character} if bar and character else name)
        if entries:
            credits[role] = entries
    data["credits"] = credits
    releases = []
    for i, line in enumerate(_lines(text.get("releases", ""))):
        day, _, place = line.partition(" ")
        try:
            releases.append({"date": date.fromisoformat(day), "place": place.strip()})
        except ValueError:
            errors.setdefault("releases", f"Line {i + 1}: start with a date such as 2010-09-03.")
    data["releases"] = releases
    return data, errors


LABELS = {
    **{name: label for name, label, _hint in TEXT_FIELDS},
    "body": "Review",
    "score": "Our score",
    "verdict": "Verdict",
    **{f"credits.{role}": label for role, label in ROLE_LABELS.items()},
    "releases": "Releases",
    "poster": "Poster",
}


# Every box, in the form's order: the first in error gets the focus.
ORDER = (
    *(name for name, _label, _hint in TEXT_FIELDS),
    "body",
    "score",
    "verdict",
    *(f"credits.{role}" for role in ROLE_LABELS),
    "releases",
    "poster",
)


def first_in_error(errors: dict[str, str]) -> str | None:
    return next((name for name in ORDER if name in errors), None)


def field_errors(problems: dict[str, str]) -> dict[str, str]:
    """content.validate()'s problems, keyed by the box they are in, as sentences to show."""
    shown: dict[str, str] = {}
    for name, problem in problems.items():
        line = ""
        if match := _INDEXED.match(name):
            name, line = match["field"], f"Line {int(match['index']) + 1}: "
        if name == "credits" or (name.startswith("credits.") and name not in LABELS):
            name = "credits.director"
        name = "published" if name == "published_on" else name
        label = LABELS.get(name, name)
        shown.setdefault(name, f"{line or label + ': '}{problem}.")
    return shown
