"""A small catalogue of film files for search and browse tests: accents, strokes, original
titles, a name in two roles, a director of several films, films not yet visible."""

from datetime import date, timedelta
from pathlib import Path

from app.films import content

# (slug, title, year, extra TOML lines); published in this order, a day apart, from 2024-08-01.
FILMS = [
    (
        "amelie",
        "Amélie",
        2001,
        'original_title = "Le Fabuleux Destin d\'Amélie Poulain"\ngenres = ["Comedy", "Romance"]\n'
        '[credits]\ndirector = ["Jean-Pierre Jeunet"]\n'
        'starring = [{ name = "Audrey Tautou", character = "Amélie Poulain" }]\n',
    ),
    (
        "dead-poets-society",
        "Dead Poets Society",
        1989,
        'genres = ["Drama"]\n[credits]\ndirector = ["Peter Weir"]\n'
        'starring = [{ name = "Robin Williams", character = "John Keating" }]\n',
    ),
    (
        "ida",
        "Ida",
        2013,
        'genres = ["Drama"]\n[credits]\ndirector = ["Paweł Pawlikowski"]\n'
        'starring = [{ name = "Agata Kulesza", character = "Wanda" }]\n',
    ),
    (
        "the-truman-show",
        "The Truman Show",
        1998,
        'genres = ["Comedy", "Drama"]\n[credits]\ndirector = ["Peter Weir"]\n'
        'starring = [{ name = "Jim Carrey", character = "Truman Burbank" }]\n',
    ),
    (
        "back-to-the-future",
        "Back to the Future",
        1985,
        'genres = ["Adventure", "Comedy", "Science fiction"]\n[credits]\n'
        'director = ["Robert Zemeckis"]\n'
        'starring = [{ name = "Michael J. Fox", character = "Marty McFly" }]\n',
    ),
    (
        "smillas-sense-of-snow",
        "Smilla's Sense of Snow",
        1997,
        'original_title = "Frøken Smillas fornemmelse for sne"\ngenres = ["Thriller"]\n'
        '[credits]\ndirector = ["Bille August"]\n',
    ),
    (
        "unforgiven",
        "Unforgiven",
        1992,
        'genres = ["Western", "Drama"]\n[credits]\ndirector = ["Clint Eastwood"]\n'
        'producer = ["Clint Eastwood"]\n'
        'starring = [{ name = "Clint Eastwood", character = "William Munny" }]\n',
    ),
    (
        "robin-hood",
        "Robin Hood",
        1973,
        'genres = ["Adventure"]\n[credits]\ndirector = ["Wolfgang Reitherman"]\n',
    ),
    (
        "secret-film",
        "Secret Weir Film",
        2020,
        'is_published = false\ngenres = ["Western"]\n[credits]\ndirector = ["Peter Weir"]\n'
        'starring = [{ name = "Hidden Actor" }]\n',
    ),
]
# Dated in the future: nobody may see it until its day.
COMING = (
    "coming-soon",
    "Coming Weir Soon",
    2027,
    'genres = ["Western"]\n[credits]\ndirector = ["Peter Weir"]\n',
)


def film_file(directory: Path, slug, title, year, extra, published: date) -> Path:
    lines = [f'slug = "{slug}"', f'title = "{title}"', f"year = {year}"]
    lines += [f"published = {published.isoformat()}"]
    head, _, tables = extra.partition("[credits]")
    text = "\n".join(lines) + "\n" + head + 'body = "A film."\n[credits]' + tables
    path = directory / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def import_catalog(app, directory: Path) -> None:
    """Import the catalogue (the demo film is there already) the way an editor would."""
    paths = [
        film_file(directory, *film, published=date(2024, 8, 1) + timedelta(days=i))
        for i, film in enumerate(FILMS)
    ]
    paths.append(film_file(directory, *COMING, published=date.today() + timedelta(days=30)))
    with app.app_context():
        content.import_files(paths)
