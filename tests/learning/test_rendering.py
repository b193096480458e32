"""Lesson Markdown is rendered and sanitised; scores read the same on every page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from learning.models import Status
from learning.rendering import lesson_html, render_markdown, validate_lesson_body
from learning.templatetags.learning_tags import percent


def test_bold_becomes_strong():
    assert render_markdown("Some **bold** words.") == "<p>Some <strong>bold</strong> words.</p>"


def test_lists_and_emphasis_are_kept():
    html = render_markdown("- one\n- *two*")

    assert "<ul>" in html and "<li>one</li>" in html and "<em>two</em>" in html


def test_script_is_removed_with_its_content():
    html = render_markdown("Hello <script>alert('x')</script> world")

    assert "<script" not in html
    assert "alert" not in html
    assert "Hello" in html and "world" in html


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.com" onclick="alert(1)">link</a>',
        '<iframe src="https://example.com"></iframe>',
        "<style>body{display:none}</style>",
        '<div style="position:fixed">x</div>',
    ],
)
def test_dangerous_html_is_removed(source):
    html = render_markdown(source)

    for bad in ("onerror", "onclick", "<iframe", "<style", "style=", "<img", "alert"):
        assert bad not in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[click](javascript:alert(1))")

    assert "javascript:" not in html
    assert "click" in html


def test_links_are_kept_and_marked_nofollow():
    html = render_markdown("[source](https://example.com/story)")

    assert 'href="https://example.com/story"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_top_level_headings_are_flattened_below_the_page_title():
    html = render_markdown("# Big\n\n### Small")

    assert "<h1>" not in html
    assert "<h3>Small</h3>" in html


def test_tables_are_kept():
    html = render_markdown("| Country | Troops |\n|---|---|\n| France | *some* |")

    assert "<table>" in html and "<th>Country</th>" in html and "<td><em>some</em></td>" in html


def test_code_and_quotes_are_kept_and_code_is_escaped():
    html = render_markdown("> A quote.\n\n```\n<b>not bold</b>\n```\n\nInline `x < y`.")

    assert "<blockquote>\n<p>A quote.</p>\n</blockquote>" in html
    assert "<pre><code>&lt;b&gt;not bold&lt;/b&gt;\n</code></pre>" in html
    assert "<code>x &lt; y</code>" in html


def test_a_list_indented_two_spaces_nests():
    html = render_markdown("- Europe\n  - France\n  - Germany")

    assert html.count("<ul>") == 2 and "<li>France</li>" in html


def test_raw_html_is_removed_but_its_text_stays():
    html = render_markdown('<div class="x">Inside a div</div>\n\nA <span>span</span>.')

    assert "<div" not in html and "<span" not in html
    assert "Inside a div" in html and "span" in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 10_001, "The lesson is 10,001 characters long; at most 10,000 are allowed"),
        ("*a* " * 251, "The lesson uses 502 Markdown symbols"),
        (">" * 9 + " deep", "more than 8 levels deep"),
        ("".join("  " * n + "- x\n" for n in range(9)), "more than 8 levels deep"),
    ],
)
def test_a_body_past_a_limit_is_refused_with_a_message_saying_which(body, message):
    with pytest.raises(ValidationError, match=message):
        lesson_html(body)


def test_windows_line_endings_count_once():
    validate_lesson_body("a\r\n" * 500)  # 500 line breaks, not 1,000 symbols


@pytest.mark.parametrize(
    ("value", "pass_mark", "shown"),
    [
        (Decimal("100.00"), None, "100%"),
        (Decimal("0.00"), None, "0%"),
        (50, None, "50%"),
        (None, None, "–"),
        # Whole numbers where decimals add nothing...
        (Decimal("66.67"), None, "67%"),
        (Decimal("62.50"), None, "63%"),
        (Decimal("33.33"), None, "33%"),
        (Decimal("83.33"), 70, "83%"),
        (Decimal("16.67"), 70, "17%"),
        # ...but a score just under a pass mark never reads as the pass mark itself.
        (Decimal("69.99"), None, "69.99%"),
        (Decimal("69.50"), None, "69.5%"),
        (Decimal("69.50"), 70, "69.5%"),
        (Decimal("66.67"), 67, "66.67%"),
        (Decimal("66.67"), 60, "67%"),
        (Decimal("74.60"), 70, "75%"),
    ],
)
def test_percent_is_whole_unless_rounding_would_read_as_a_pass(value, pass_mark, shown):
    assert percent(value, pass_mark) == shown


def test_status_badge_shows_the_same_score_as_the_result_page():
    html = Template("{% load learning_tags %}{% status_badge status score %}").render(
        Context({"status": Status.ATTEMPTED, "score": Decimal("69.50")})
    )

    assert "Not passed yet · 69.5%" in html


def test_status_badge_of_a_lesson_not_started_has_no_score():
    html = Template("{% load learning_tags %}{% status_badge status score %}").render(
        Context({"status": Status.NOT_STARTED, "score": None})
    )

    assert "Not started" in html and "%" not in html
