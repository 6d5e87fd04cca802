"""Case and accents folded in Python, so that both databases index and are asked the same text.

PostgreSQL could fold with `unaccent` (a superuser's extension) and SQLite's FTS5 with its own
tokenizer, but the two disagree on letters such as `ł`, which Unicode does not decompose; folding
here before either sees the text gives one behaviour, tested once for both.
"""

import hashlib
import re
import unicodedata

# Letters with a stroke or a ligature, which NFKD leaves whole.
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
    }
)
_WORD = re.compile(r"[^\W_]+")
_SLUG_WORD = re.compile(r"[a-z0-9]+")
SLUG_LENGTH = 120


def fold(text: str) -> str:
    """`Sławomir Ærø` -> `slawomir aero`: lower case, accents and strokes removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, as the full-text index splits it."""
    return _WORD.findall(fold(text))


def slug(name: str) -> str:
    """A URL slug for a name (`Sławomir Rawicz` -> `slawomir-rawicz`); a name with no Latin
    letter or digit gets one made from its hash."""
    made = "-".join(_SLUG_WORD.findall(fold(name)))[:SLUG_LENGTH].strip("-")
    return made or "n-" + hashlib.sha256(name.encode()).hexdigest()[:12]
