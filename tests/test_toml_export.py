"""The TOML export is written by a TOML writer: any film, whatever its text holds (line ends,
carriage returns, quotes, triple quotes, backslashes, any script), reads back through
`films import` unchanged, and no title can write a key of its own (votes, say)."""

import tomllib
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.database import write_transaction
from app.extensions import db
from app.films import content
from app.models import Film, Vote

# What validate() refuses in text (app/core/parsing.py): C0 controls but tab and line ends.
CONTROLS = "".join(chr(c) for c in (*range(9), 11, 12, *range(14, 32), 127))
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters=CONTROLS)
TRICKY = st.sampled_from(['"', '"""', "'''", "\\", "\r", "\n", "\r\n", "#", "=", "[x]", "é", "🎬"])
TEXT = st.lists(st.text(CHARACTERS, max_size=12) | TRICKY, min_size=1, max_size=8).map("".join)


def line(limit: int):
    """Text as validate() keeps it: trimmed, not empty, within its limit."""
    return TEXT.map(lambda text: text.strip()[:limit].strip()).filter(bool)


def without(characters: str, limit: int):
    return line(limit).map(lambda text: "".join(c for c in text if c not in characters).strip())


FILMS = st.fixed_dictionaries(
    {
        "slug": st.just("round-trip"),
        "title": line(300),
        "year": st.integers(*content.YEARS),
        "published": st.dates(date(1900, 1, 1), date(2100, 1, 1)),
        "body": line(2000),
        "credits": st.fixed_dictionaries(
            {
                "director": st.lists(line(80), min_size=1, max_size=2),
                "starring": st.lists(
                    st.fixed_dictionaries({"name": line(80), "character": line(80)}), max_size=2
                ),
            }
        ),
    },
    optional={
        "original_title": line(300),
        "country": line(200),
        "verdict": line(200),
        "running_time": st.integers(*content.RUNNING_TIMES),
        "is_published": st.booleans(),
        # Stored joined by ", ": a language holding a comma is two.
        "languages": st.lists(without(",", 40).filter(bool), max_size=3),
        # Named by their folded slug: a fixed few, so no other example's spelling is found.
        "genres": st.lists(st.sampled_from(["Drama", "Comedy"]), unique=True, max_size=2),
        "based_on": st.fixed_dictionaries({"title": line(300), "author": line(300)}),
        "releases": st.lists(
            st.fixed_dictionaries(
                {"date": st.dates(date(1900, 1, 1), date(2100, 1, 1)), "place": line(300)}
            ),
            max_size=2,
        ),
    },
)


def saved(data: dict) -> Film:
    with write_transaction():
        content.write(content.validate(data))
    return db.session.scalar(select(Film).where(Film.slug == data["slug"]))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FILMS)
@example(
    data={
        "slug": "round-trip",
        "title": 'Injected\nvotes = { "5" = 1000 }\n# ',
        "year": 2020,
        "published": date(2024, 1, 1),
        "body": 'Text with """ and \\ and a\r\nCRLF.',
        "credits": {"director": ["Somebody"], "starring": []},
    }
)
def test_any_film_reads_back_from_its_export_unchanged(app, tmp_path, data):
    with app.app_context():
        film = saved(data)
        before = content.as_data(film)
        exported = content.to_toml(film)
        table = tomllib.loads(exported)
        assert "votes" not in table and table["title"] == before["title"]
        path = tmp_path / "round-trip.toml"
        path.write_text(exported, encoding="utf-8", newline="")
        film_file = content.parse(path)
        with write_transaction():
            _film, outcome = content.write(film_file)
        assert outcome == "unchanged", exported
        assert content.as_data(saved(data)) == before
        assert film_file.seed_votes == {}
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 1  # the demo's
