"""The rating block (templates/ratings/_block.html), rendered once per state and kept.

A block differs only by the film, its numbers and the visitor's own vote (and a refusal's
message), so it is kept per (film, own vote, message) in the version of the numbers, with a
hole for the visitor's CSRF token.
"""

from flask import render_template
from markupsafe import Markup

from ..core.cache import cache, token_hole, with_token
from .summary import Summary

# Per film, one block per own-vote state (six, and refusals).
BLOCKS_KEPT = 128


def kept_block(slug: str, summary: Summary, **context) -> str:
    """The block with a hole for the token (see app/core/cache.py)."""
    return cache("blocks", BLOCKS_KEPT).get(
        (slug, summary.mine, *sorted(context.items())),
        summary.numbers,
        lambda: render_template(
            "ratings/_block.html", slug=slug, summary=summary, csrf_token=token_hole, **context
        ),
    )


def rating_block(slug: str, summary: Summary, **context) -> Markup:
    """The rating block for this visitor, with their token."""
    return with_token(kept_block(slug, summary, **context))
