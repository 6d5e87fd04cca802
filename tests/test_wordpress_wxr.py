"""Reading a WordPress export: items, authors and comments from a WXR 1.2 (and 1.1) stream,
files that are not WXR or declare entities refused with their line, and a post's HTML into the
review's Markdown with its shortcodes handled or reported."""

from pathlib import Path

import pytest

from app.wordpress import convert, wxr

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
BLOG = FIXTURES / "blog.xml"


def items():
    return [found for found in wxr.read(BLOG) if isinstance(found, wxr.Item)]


def test_the_export_is_read_item_by_item_with_its_line():
    found = items()
    assert [(item.id, item.post_type, item.status) for item in found] == [
        (101, "post", "publish"),
        (102, "post", "publish"),
        (103, "post", "future"),
        (104, "post", "draft"),
        (105, "post", "private"),
        (2, "page", "publish"),
        (3, "page", "publish"),
        (110, "attachment", "inherit"),
        (111, "attachment", "inherit"),
        (106, "post", "trash"),
    ]
    first = found[0]
    assert BLOG.read_text().splitlines()[first.line - 1].strip() == "<item>"
    assert first.name == "the-way-back-gulag" and first.creator == "anna"
    assert first.categories == [("drama", "Drama")]
    assert first.tags == [("peter-weir", "Peter Weir")]
    assert first.meta["rmp_vote_count"] == "7" and first.meta["_thumbnail_id"] == "110"
    assert [(c.id, c.parent, c.approved) for c in first.comments] == [
        (501, 0, "1"),
        (502, 501, "1"),
        (503, 502, "1"),
        (504, 0, "0"),
        (505, 0, "spam"),
        (506, 0, "trash"),
    ]
    assert found[1].title == "Amélie — Le Fabuleux Destin d'Amélie Poulain"


def test_the_channel_s_categories_are_read_with_their_ids():
    categories = [found for found in wxr.read(BLOG) if isinstance(found, wxr.Category)]
    assert categories == [wxr.Category(3, "drama"), wxr.Category(4, "comedie")]


def test_authors_are_read_with_their_display_names():
    authors = [found for found in wxr.read(BLOG) if isinstance(found, wxr.Author)]
    assert [(a.login, a.display_name) for a in authors] == [
        ("anna", "Anna Kowalska"),
        ("guest", "Guest Writer"),
    ]


def test_wxr_1_1_reads_the_same(tmp_path):
    older = tmp_path / "old.xml"
    older.write_text(
        BLOG.read_text().replace("export/1.2/", "export/1.1/").replace(">1.2<", ">1.1<")
    )
    assert [item.id for item in wxr.read(older) if isinstance(item, wxr.Item)] == [
        item.id for item in items()
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaa">\n<!ENTITY b "&a;&a;">\n]>'
            "\n<rss><channel>&b;</channel></rss>\n",
            "line 3: the entity 'a' is declared; entity declarations are refused (this one could",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>'
            "\n<rss><channel>&x;</channel></rss>\n",
            "refers to 'file:///etc/passwd' outside the file",
        ),
        (
            '<?xml version="1.0"?>\n<rss>\n<channel>\n<item><title>x</title>\n</chanel></rss>\n',
            "line 5, column 2: not well-formed XML (mismatched tag) inside <item>",
        ),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n'
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<item><wp:comment><wp:comment_content>x</wp:comment></item></channel></rss>\n",
            "line 3, column 41: not well-formed XML (mismatched tag) inside <wp:comment_content>",
        ),
        ('<?xml version="1.0"?>\n<feed></feed>\n', "line 2: <feed> is not WXR's <rss>"),
        ("<rss><channel><title>x</title></channel></rss>", "no <wp:wxr_version>"),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.0/"><channel>\n'
            "<wp:wxr_version>1.0</wp:wxr_version></channel></rss>",
            "line 2: WXR http://wordpress.org/export/1.0/ is not version 1.1 or 1.2",
        ),
    ],
)
def test_a_file_we_cannot_read_is_refused_with_its_line(tmp_path, text, message):
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(wxr.WXRError) as refused:
        list(wxr.read(path))
    assert message in str(refused.value)


def test_gutenberg_comments_go_and_the_blocks_become_markdown():
    markdown, notes = convert.to_markdown(items()[0].content)
    assert "wp:" not in markdown
    assert markdown.startswith("Peter Weir's *The Way Back* follows seven prisoners who walk")
    assert "**4,000 miles**" in markdown
    assert "## Reception\n\n- Ed Harris is superb\n- The desert sequence drags" in markdown
    assert notes == [
        "1 picture(s) in the text left out (2024/07/still.jpg): a review shows no picture from"
        " elsewhere"
    ]


def test_a_classic_post_keeps_its_paragraphs_and_reports_its_shortcodes():
    markdown, notes = convert.to_markdown(items()[1].content)
    paragraphs = markdown.split("\n\n")
    assert paragraphs[0] == (
        "Jeunet's Paris is a postcard, and that is the point.  \nAudrey Tautou carries it."
    )
    assert "*The café in Montmartre*" in paragraphs
    assert "<https://www.youtube.com/watch?v=HUECWi5pX7o>" in paragraphs
    assert paragraphs[-1] == "Five stars [sic], and a footnote [1]."  # not shortcodes
    assert "gallery" not in markdown
    assert "shortcode [gallery] removed" in notes


def test_an_unknown_paired_shortcode_keeps_its_text():
    markdown, notes = convert.to_markdown("<p>[spoiler]He lives.[/spoiler]</p>")
    assert markdown == "He lives." and notes == ["shortcode [spoiler] removed, its text kept"]


def test_scripts_are_dropped_with_their_text():
    markdown, _ = convert.to_markdown("<p>Good.</p><script>alert(1)</script>")
    assert markdown == "Good."


def test_a_comment_becomes_plain_paragraphs():
    text = convert.plain_text("Saw it <em>twice</em> *really*.\n\n<p>Truly.</p>")
    assert text == "Saw it twice *really*.\n\nTruly."
