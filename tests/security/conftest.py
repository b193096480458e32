"""The world the adversarial tests attack, and the means to prove nothing changed.

One published course with one lesson and quiz; a class taught by `teacher`
with `student` enrolled; `student` has one graded attempt and one open one.
`other_teacher` teaches another class (with `other_student`) that does not
follow the course.
"""

import html
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quizzes.grading import save_answers, start_attempt, submit_attempt
from review.models import ReviewLog
from review.scheduling import record_answers
from tests.conftest import make_user
from tests.factories import make_quiz
from tests.teaching_data import make_class

JSON = {"accept": "application/json"}

# Hypothesis caches what it learns; keep it with pytest's cache, out of the working tree.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY",
    str(Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis"),
)

# Rows that change on their own whenever anyone signs in or fails to.
NOT_CONTENT = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def snapshot(*, skip=()):
    """Every row of every table the site owns, so that 'nothing changed' is checked whole."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_CONTENT or label in skip:
            continue
        rows[label] = list(model.objects.order_by("pk").values())
    return rows


@contextmanager
def rolled_back():
    """Run a block in a savepoint and undo it, so the next persona meets the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def saved_answers(attempt):
    return dict(attempt.responses.values_list("question_id", "selected"))


def paper(attempt):
    """The attempt's questions as shown: [(question id, [choice ids])]."""
    return [(q["id"], [c["id"] for c in q["choices"]]) for q in attempt.paper["questions"]]


@pytest.fixture
def world(student, other_student, teacher, other_teacher, admin_user):
    quiz = make_quiz(questions=3)  # questions 1-2 single answer, 3 select-all
    lesson, course = quiz.lesson, quiz.lesson.course
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    other_class = make_class(
        teachers=[other_teacher], courses=[], students=[other_student], name="Theo's class"
    )
    graded = start_attempt(user=student, quiz=quiz)
    (q1, c1), *_ = paper(graded)
    save_answers(attempt=graded, answers={q1: [c1[0]]})
    graded = submit_attempt(attempt=graded)
    open_attempt = start_attempt(user=student, quiz=quiz)
    # The student's answer in a review session, with its feedback page.
    record_answers(student, {q1: True}, now=timezone.now(), source="review", selected={q1: [c1[0]]})
    review_log = ReviewLog.objects.filter(card__user=student, source="review").get()
    forgetful = make_user("forgetful", email="forgetful@example.org")
    return SimpleNamespace(
        forgetful=forgetful,
        review_log=review_log,
        course=course,
        lesson=lesson,
        quiz=quiz,
        classroom=classroom,
        other_class=other_class,
        graded=graded,
        attempt=open_attempt,
        student=student,
        other_student=other_student,
        teacher=teacher,
        other_teacher=other_teacher,
        staff=admin_user,
    )


PERSONAS = ["anonymous", "student", "other_student", "teacher", "other_teacher", "staff"]


def client_as(world, persona, **client_options):
    client = Client(**client_options)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


# ---------------------------------------------------------------- every address of the site


def url_patterns(patterns=None, prefix="", namespace="", params=()):
    """(name, route, parameter names) of every named URL pattern, from the root URLconf.

    The admin is left out: Django tests its own permissions."""
    from django.urls import URLResolver, get_resolver

    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        names = (*params, *pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            route = prefix + str(pattern.pattern)
            yield from url_patterns(pattern.url_patterns, route, inner, names)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), names


# Which object of the world a URL's `pk` names; other parameters are unambiguous.
PK_OF = {
    "quizzes:attempt": "attempt",
    "quizzes:save": "attempt",
    "quizzes:submit": "attempt",
    "quizzes:result": "graded",
    "quizzes:report": "graded",
    "teaching:stats": "quiz",
    "review:answered": "review_log",
}


def address(world, name, params):
    """The URL of `name` filled with the world's real objects. A parameter this does
    not know fails loudly: teach it which object the new page is about."""
    from django.urls import reverse

    values = {
        "course": world.course.slug,
        "lesson": world.lesson.slug,
        "user_id": world.student.pk,
        "pk": getattr(world, PK_OF.get(name, "classroom")).pk,
        "quiz_id": world.quiz.pk,
        "attempt_id": world.attempt.pk,
        # A reset link for someone no persona signs in as: signing in changes
        # last_login, which ends the link.
        "uidb64": urlsafe_base64_encode(force_bytes(world.forgetful.pk)),
        "token": default_token_generator.make_token(world.forgetful),
    }
    return reverse(name, kwargs={key: values[key] for key in params})


# ---------------------------------------------------------------- SQLite's write lock


@pytest.fixture
def short_busy_timeout():
    options = connection.settings_dict["OPTIONS"]
    saved = options["timeout"]
    options["timeout"] = 0.2
    connection.close()
    yield
    options["timeout"] = saved
    connection.close()


@pytest.fixture
def locked_database():
    """Another process's writer holding SQLite's write lock (a long import, say)."""
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    yield
    locker.rollback()
    locker.close()


def message_source(response):
    """The JSON error, or the page's HTML with entities decoded (tags and spacing kept).

    Not tests.pages.visible_text: the refusals are checked in the JSON the background
    save reads as well as on pages, and with apostrophes and quotes as the user reads
    them ("didn't", not "didn&#x27;t"), which visible_text leaves encoded."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]
    return html.unescape(response.content.decode())
