"""Stored text cannot be a weapon: hostile Markdown renders fast or is refused when
saved, and no page view ever runs the Markdown parser."""

import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from learning.models import Course, Lesson
from learning.rendering import (
    MARKDOWN_SYMBOLS,
    MAX_BODY_CHARS,
    MAX_MARKDOWN_SYMBOLS,
    lesson_html,
    validate_lesson_body,
)
from tests.admin_forms import lesson_form
from tests.factories import LessonFactory

BUDGET = 0.1  # seconds: a save that renders must never hold a worker longer


def largest_accepted(unit):
    """`unit` repeated as often as the limits allow: the worst a save can meet."""
    symbols = sum(ch in MARKDOWN_SYMBOLS for ch in unit)
    times = min(MAX_BODY_CHARS // len(unit), MAX_MARKDOWN_SYMBOLS // symbols)
    return unit * times


def nested_list(levels):
    return "".join("    " * level + "- item\n" for level in range(levels))


PROSE = "Allies met in Paris (again) to talk about 'guarantees'. " * 200

HOSTILE = {
    # Quadratic in python-markdown: 27 KB took over 30 s.
    "bracket run": "[" * 27_000,
    "bracket run at the limits": largest_accepted("["),
    "open links": "[a](" * 7_000,
    "open links at the limits": largest_accepted("[a]("),
    "open images at the limits": largest_accepted("!["),
    "brackets between words at the limits": largest_accepted("[a"),
    "brackets then prose to the size limit": (largest_accepted("[") + PROSE)[:MAX_BODY_CHARS],
    # RecursionError in python-markdown.
    "300 nested lists": nested_list(300),
    "300 nested lists on one line": "- " * 300 + "x",
    "1000 nested quotes": ">" * 1000 + " x",
    "9 nested quotes": ">" * 9 + " x",
    "huge table": "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 2_000,
    "wide table": "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n" + ("|" + "x|" * 2_000 + "\n"),
    "table at the limits": "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 90,
    "emphasis run": "*a" * 20_000,
    "emphasis at the limits": largest_accepted("*a"),
    "underscore run": "_" * 40_000,
    "underscores at the limits": largest_accepted("_a"),
    "backtick run": "`" * 40_000,
    "backticks at the limits": largest_accepted("`a"),
    "growing backtick runs": "".join("`" * n + "a" for n in range(1, 32)),
    "lines at the limits": largest_accepted("\na"),
    "paragraphs at the limits": largest_accepted("a\n\n"),
    "raw html at the limits": largest_accepted("<div>"),
    "entities at the limits": largest_accepted("&#"),
    "long link title": '[a](b "' + "x" * 9_990,
    "null bytes": "\x00" * MAX_BODY_CHARS,
}

REFUSALS = {
    "too_long": f"at most {MAX_BODY_CHARS:,} are allowed",
    "too_much_markup": f"at most {MAX_MARKDOWN_SYMBOLS:,} are allowed",
    "too_deep": "more than 8 levels deep",
}


def best_of_three(function, *args):
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - start)
    return min(timings)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_well_under_100_ms_or_is_refused(text):
    try:
        validate_lesson_body(text)
    except ValidationError as error:
        assert REFUSALS[error.code] in error.messages[0]
        assert best_of_three(_refused, text) < BUDGET  # refusing is quick too
        return

    assert best_of_three(lesson_html, text) < BUDGET


def _refused(text):
    with pytest.raises(ValidationError):
        validate_lesson_body(text)


def test_the_issues_inputs_are_refused_not_rendered():
    for name in ("bracket run", "open links", "300 nested lists", "huge table", "emphasis run"):
        with pytest.raises(ValidationError):
            validate_lesson_body(HOSTILE[name])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bracket run", "The lesson is 27,000 characters long; at most 10,000 are allowed"),
        ("1000 nested quotes", "The lesson uses 1,000 Markdown symbols"),
        ("300 nested lists on one line", "nests lists or block quotes more than 8 levels deep"),
        ("9 nested quotes", "nests lists or block quotes more than 8 levels deep"),
    ],
)
def test_the_admin_refuses_a_hostile_body_with_a_form_error(admin_client, db, name, message):
    lesson = LessonFactory(body="Fine **text**.")
    url = reverse("admin:learning_lesson_change", args=[lesson.pk])

    response = admin_client.post(url, lesson_form(lesson, body=HOSTILE[name]))

    assert response.status_code == 200
    assert message in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.body == "Fine **text**."
    assert lesson.body_html == "<p>Fine <strong>text</strong>.</p>"


def test_the_admin_stores_the_rendered_body_when_it_saves(admin_client, db):
    lesson = LessonFactory()
    url = reverse("admin:learning_lesson_change", args=[lesson.pk])

    response = admin_client.post(url, lesson_form(lesson, body="- one\n- **two**"))

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body_html == "<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>"


def test_no_page_view_runs_the_markdown_parser(client, db):
    lesson = LessonFactory(body="Some **body** text.")
    # What the page shows is what was stored at save time, whatever the body says now.
    Lesson.objects.filter(pk=lesson.pk).update(
        body="This **body** was never rendered.", body_html="<p>Stored at save time.</p>"
    )

    html = client.get(lesson.get_absolute_url()).content.decode()

    assert "<p>Stored at save time.</p>" in html
    assert "never rendered" not in html


@pytest.mark.parametrize(
    "name", ["300 nested lists", "300 nested lists on one line", "bracket run"]
)
def test_a_hostile_body_stored_before_the_limits_cannot_slow_or_break_its_page(client, db, name):
    # Rows written before the limits (or by a raw update) keep the HTML they were
    # saved with: the page neither parses them (RecursionError, 30 s) nor fails.
    lesson = LessonFactory(body="Harmless.")
    Lesson.objects.filter(pk=lesson.pk).update(body=HOSTILE[name])
    page = Client(raise_request_exception=False)

    start = time.perf_counter()
    response = page.get(lesson.get_absolute_url())

    assert response.status_code == 200
    assert time.perf_counter() - start < 1
    assert "<p>Harmless.</p>" in response.content.decode()


def test_an_explainer_section_past_a_limit_is_refused_naming_the_section(db, tmp_path):
    path = tmp_path / "sea-walls.txt"
    path.write_text("A fine first section.\nToo many brackets. " + "[" * 600, encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"Section 2 \('Too many brackets'\): The lesson uses 600"
    ):
        call_command("import_explainer", str(path))

    assert not Course.objects.exists()


def test_a_fixture_with_a_hostile_body_is_refused_and_loads_nothing(db, tmp_path):
    fixture = tmp_path / "hostile.json"
    when = "2026-01-01T00:00:00Z"
    course = {"title": "C", "slug": "c", "created_at": when, "updated_at": when}
    lesson = {"course": 900, "position": 1, "title": "L", "slug": "l", "updated_at": when}
    fixture.write_text(
        json.dumps(
            [
                {"model": "learning.course", "pk": 900, "fields": course},
                {
                    "model": "learning.lesson",
                    "pk": 900,
                    "fields": {**lesson, "body": "- " * 300 + "x"},
                },
            ]
        ),
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="more than 8 levels deep"):
        call_command("loaddata", str(fixture), verbosity=0)

    assert not Lesson.objects.exists()
