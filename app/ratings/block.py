"""The rating block (templates/ratings/_block.html), rendered once per state and kept.

A block differs only by the film, its numbers and the visitor's own vote (and a refusal's
message), so it is kept per (film, own vote, message) in the version of the numbers, with a
hole for the visitor's CSRF token. Its star buttons, which every vote's new numbers would
render again, are kept apart, per film and own vote.
"""

from markupsafe import Markup

from ..core.cache import cache, token_hole, with_token
from ..core.partials import render_partial
from .summary import Summary

# Per film, one block per own-vote state (six, and refusals); and its star buttons.
BLOCKS_KEPT = 128


def _star_form(slug: str, mine: int | None, autofocus_star: int | None) -> Markup:
    """The block's star buttons: the same for every version of the numbers."""
    return cache("rating_forms", BLOCKS_KEPT).get(
        (slug, mine, autofocus_star),
        None,
        lambda: Markup(
            render_partial(
                "ratings/_form.html",
                slug=slug,
                mine=mine,
                autofocus_star=autofocus_star,
                csrf_token=token_hole,
            )
        ),
    )


def kept_block(slug: str, summary: Summary, **context) -> str:
    """The block with a hole for the token (see app/core/cache.py)."""
    return cache("blocks", BLOCKS_KEPT).get(
        (slug, summary.mine, *sorted(context.items())),
        summary.numbers,
        lambda: render_partial(
            "ratings/_block.html",
            slug=slug,
            summary=summary,
            csrf_token=token_hole,
            star_form=_star_form(slug, summary.mine, context.get("autofocus_star")),
            **context,
        ),
    )


def rating_block(slug: str, summary: Summary, **context) -> Markup:
    """The rating block for this visitor, with their token."""
    return with_token(kept_block(slug, summary, **context))
