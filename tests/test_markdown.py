"""The review's Markdown: what it renders, what it refuses at save, and that no input of any
kind renders a script, an event handler or a script URL."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import article, markdown
from app.core.text import paragraphs
from app.films import content
from tests.helpers import MINIMAL


def test_commonmark_with_tables_headings_start_below_the_title():
    html = markdown.render(
        "# Top\n\n## Reception\n\n*so* **good**, [a](https://example.com)\n\n"
        "> quoted\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h1" not in html and "<h2>Top</h2>" in html and "<h2>Reception</h2>" in html
    assert "<em>so</em> <strong>good</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">a</a>' in html
    assert "<blockquote>" in html and "<li>one</li>" in html and "<td>2</td>" in html


def test_raw_html_and_images_are_left_out():
    html = markdown.render('Hi <img src=x onerror="alert(1)"> ![poster](https://x.org/p.jpg)')
    assert "<img" not in html and "onerror" not in html and "Hi" in html


def test_a_spoiler_block_is_a_details_element_with_markdown_inside():
    html = markdown.render("Before.\n\n```spoiler\nHe *dies*.\n```\n\nAfter.")
    assert '<details class="spoiler"><summary>Spoiler</summary>' in html
    assert "<p>He <em>dies</em>.</p>\n</details>" in html
    assert "<details open" not in html  # hidden until the reader opens it
    assert markdown.excerpt("Before.\n\n```spoiler\nHe dies.\n```\n\nAfter.") == "Before. After."


def test_excerpt_is_plain_text_cut_at_a_word():
    body = "## Heading\n\nA *fine* film with " + "many words " * 50
    text = markdown.excerpt(body, 60)
    assert text.startswith("A fine film with many") and text.endswith("…") and len(text) <= 60
    assert "Heading" not in text and "*" not in text


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java%0ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "file:///etc/passwd",
    ],
)
def test_unsafe_links_are_found_even_inside_spoilers(link):
    assert markdown.unsafe_link(f"[x]({link})") is not None
    assert markdown.unsafe_link(f"```spoiler\n[x]({link})\n```") is not None


def test_an_autolink_with_a_script_scheme_is_found():
    assert markdown.unsafe_link("<javascript:alert(1)>") == "javascript:alert(1)"


def test_safe_links_pass():
    body = "[a](https://x.org) [b](http://x.org) [c](mailto:a@b.c) [d](/films/x) [e](#top)"
    assert markdown.unsafe_link(body) is None


def film_file(tmp_path, body):
    path = tmp_path / "review.toml"
    text = MINIMAL.format(slug="review", title="Review").replace(
        'body = "A film."', f"body = '''\n{body}\n'''"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_a_film_file_with_an_unsafe_link_is_refused(app, tmp_path):
    with app.app_context(), pytest.raises(content.FilmFileError, match="field 'body'"):
        content.import_files([film_file(tmp_path, "See [this](javascript:alert(1)).")])


def test_links_to_films_of_the_site_must_exist(app, tmp_path):
    with app.app_context():
        with pytest.raises(content.FilmFileError, match="/films/no-such-film, which is no film"):
            content.import_files([film_file(tmp_path, "Unlike [that](/films/no-such-film).")])
        with pytest.raises(content.FilmFileError, match="/films/absent, which is no film"):
            content.import_files([film_file(tmp_path, "[x](https://marquee.test/films/absent)")])
        body = (
            "Like [the demo](/films/the-way-back) and [itself](https://marquee.test/films/review/)."
        )
        assert content.import_files([film_file(tmp_path, body)])[0][1] == "created"


def test_films_imported_together_may_link_to_each_other(app, tmp_path):
    first = film_file(tmp_path, "See [the other](/films/other).")
    second = tmp_path / "other.toml"
    second.write_text(
        MINIMAL.format(slug="other", title="Other").replace("A film.", "See [it](/films/review)."),
        encoding="utf-8",
    )
    with app.app_context():
        assert [outcome for _path, outcome in content.import_files([first, second])] == [
            "created",
            "created",
        ]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


HOSTILE = st.lists(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            '<a href="javascript:alert(1)">x</a>',
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](data:text/html,<script>)",
            "[x](vbscript:x)",
            "<javascript:alert(1)>",
            "![i](javascript:alert(1))",
            '[x](/ "onmouseover=alert(1)")',
            "```spoiler\n",
            "```\n",
            "\n\n",
            "> ",
            "- ",
            "1. ",
            "| a | b |\n|---|---|\n",
            "[",
            "]",
            "(",
            ")",
            "&#x6a;avascript:",
            "&lt;script&gt;",
            "`",
            "*",
            " onload=",
        ]
    )
    | st.text(max_size=20),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(body=HOSTILE)
def test_no_input_renders_a_script_a_handler_or_a_script_url(body):
    html = str(markdown.render(body))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in markdown.TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in markdown.ATTRIBUTES.get(tag, ()) or name == "rel", (tag, name)
            if name == "href":
                scheme = value.split(":", 1)[0].lower() if ":" in value.split("/")[0] else ""
                assert scheme in {"", "http", "https", "mailto"}, value
    assert "<script" not in html.lower()


PLAIN = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(list("\n\n*_`[]()<>#=+-|~!&;\\1.) ")),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(text=PLAIN)
def test_the_old_plain_text_reads_word_for_word_after_the_fold(text):
    """What migration 0010 and an [article] table do to plain text: the same paragraphs, the
    same words, whatever Markdown would make of them."""
    html = str(markdown.render(article.plain_to_markdown(text)))
    found = re.findall(r"<p>(.*?)</p>", html, re.S)
    assert [unescape(p) for p in found] == paragraphs(text)


def test_a_spoiler_too_deep_to_open_keeps_no_attribute_the_list_does_not_name():
    """Found by the fuzz above: nh3 keeps `lang` on any element unless told not to."""
    html = str(markdown.render("```spoiler\n" * 4))
    assert html.count("<details") == 3
    assert "<pre><code>" in html and "lang=" not in html
