"""Script, event-handler, javascript: and SVG payloads in everything people write:
every page shows them as text, never as markup."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.xss import PAYLOADS, hostile_world, unsafe_markup


@pytest.fixture(params=PAYLOADS.values(), ids=PAYLOADS.keys())
def payload(request):
    return request.param


@pytest.fixture
def hostile(payload, student, teacher):
    return hostile_world(payload, student=student, teacher=teacher)


def pages(w, student, staff):
    """(persona, url) of every page that shows what someone wrote."""
    c, cl = w.classroom.pk, w.classroom
    admin = [
        reverse(f"admin:{model}_changelist")
        for model in (
            "learning_course",
            "learning_lesson",
            "learning_lessonprogress",
            "teaching_classroom",
            "quizzes_quiz",
            "quizzes_question",
            "quizzes_attempt",
            "auth_user",
        )
    ] + [
        reverse("admin:learning_course_change", args=[w.course.pk]),
        reverse("admin:learning_lesson_change", args=[w.lesson.pk]),
        reverse("admin:teaching_classroom_change", args=[cl.pk]),
        reverse("admin:quizzes_question_change", args=[w.question.pk]),
        reverse("admin:quizzes_attempt_change", args=[w.graded.pk]),
        reverse("admin:auth_user_change", args=[student.pk]),
    ]
    return {
        "home (visitor)": ("anonymous", "/"),
        "home": ("student", "/"),
        "course": ("student", w.course.get_absolute_url()),
        "lesson": ("student", w.lesson.get_absolute_url()),
        "quiz": ("student", w.quiz.get_absolute_url()),
        "attempt": ("student", reverse("quizzes:attempt", args=[w.attempt.pk])),
        "result": ("student", reverse("quizzes:result", args=[w.graded.pk])),
        "progress": ("student", reverse("quizzes:progress")),
        "teacher home": ("teacher", reverse("teaching:teach")),
        "grid": ("teacher", reverse("teaching:class_grid", args=[c])),
        "class edit": ("teacher", reverse("teaching:class_edit", args=[c])),
        "student record": ("teacher", reverse("teaching:student_record", args=[c, student.pk])),
        "stats": ("teacher", reverse("teaching:stats", args=[w.quiz.pk]) + f"?class={c}"),
        **{f"admin {url}": ("staff", url) for url in admin},
    }


def get_as(persona, url, *, student, teacher, admin_user):
    client = Client()
    user = {"student": student, "teacher": teacher, "staff": admin_user}.get(persona)
    if user:
        client.force_login(user)
    return client.get(url)


def test_every_page_shows_payloads_as_text(hostile, student, teacher, admin_user):
    problems = {}
    for name, (persona, url) in pages(hostile, student, admin_user).items():
        response = get_as(persona, url, student=student, teacher=teacher, admin_user=admin_user)
        assert response.status_code == 200, url
        if found := unsafe_markup(response.content.decode()):
            problems[name] = found

    assert problems == {}


def test_the_payload_is_shown_as_written(hostile, payload, student):
    """Escaped, not dropped: the student reads exactly what the author wrote."""
    client = Client()
    client.force_login(student)

    html = client.get(reverse("quizzes:attempt", args=[hostile.attempt.pk])).content.decode()

    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
    assert f"Prompt {escaped}" in html
    assert f"Right {escaped}" in html


def test_lesson_markdown_keeps_its_formatting_but_not_the_payload(hostile, student):
    client = Client()
    client.force_login(student)

    html = client.get(hostile.lesson.get_absolute_url()).content.decode()

    assert "<li>" in html  # the Markdown list survived the sanitiser
    assert 'href="javascript' not in html.lower()


def test_messages_that_name_a_class_escape_it(hostile, other_student):
    client = Client()
    client.force_login(other_student)

    response = client.post(
        reverse("teaching:join"), {"code": hostile.classroom.join_code}, follow=True
    )

    assert "You joined" in response.content.decode()
    assert unsafe_markup(response.content.decode()) == []


def test_csv_is_a_download_never_a_page(hostile, payload, teacher):
    client = Client()
    client.force_login(teacher)

    response = client.get(reverse("teaching:class_csv", args=[hostile.classroom.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = rows[1][1:3]
    assert all(name in (payload, "'" + payload) for name in names)  # kept as data, whole


def test_explainer_import_preview_shows_payloads_as_text(admin_user, db):
    client = Client()
    client.force_login(admin_user)
    text = "\n\n".join(
        f"# Title {p}\n\n## Heading {p}\n\nParagraph {p}." for p in PAYLOADS.values()
    )

    response = client.post(
        reverse("admin:learning_course_import"), {"text": text, "slug": "hostile-import"}
    )

    assert response.status_code == 200
    assert unsafe_markup(response.content.decode()) == []


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<iframe src=x></iframe>",
    ],
)
def test_the_scanner_finds_what_it_looks_for(markup):
    assert unsafe_markup(f"<p>{markup}</p>") != []
