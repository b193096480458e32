"""On SQLite, a write that meets a locked database answers 503 "please retry"
with nothing half-written, never a 500."""

import pytest
from django.db import connection
from django.test import Client

from quizzes.grading import start_attempt
from quizzes.models import Response
from tests.factories import make_quiz

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock"),
]


def test_save_against_a_locked_database_asks_to_retry_and_writes_nothing(
    student, short_busy_timeout, request
):
    quiz = make_quiz(questions=2)
    attempt = start_attempt(user=student, quiz=quiz)
    question = attempt.paper["questions"][0]
    client = Client(raise_request_exception=False)
    client.force_login(student)
    client.get(f"/attempts/{attempt.pk}/")  # renews the session before the lock
    data = {"shown": question["id"], f"q{question['id']}": question["choices"][0]["id"]}

    request.getfixturevalue("locked_database")
    busy = client.post(f"/attempts/{attempt.pk}/save/", data, HTTP_ACCEPT="application/json")

    assert busy.status_code == 503
    assert busy.json() == {"saved": False, "error": "Server busy: please retry."}
    assert busy["Retry-After"] == "1"
    assert not Response.objects.filter(attempt=attempt).exists()


def test_submit_against_a_locked_database_shows_a_retry_page(student, short_busy_timeout, request):
    quiz = make_quiz(questions=2)
    attempt = start_attempt(user=student, quiz=quiz)
    client = Client(raise_request_exception=False)
    client.force_login(student)
    client.get(f"/attempts/{attempt.pk}/")

    request.getfixturevalue("locked_database")
    busy = client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})

    assert busy.status_code == 503
    assert b"Please retry" in busy.content
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
