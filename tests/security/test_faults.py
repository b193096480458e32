"""A failure in the middle of grading leaves the attempt exactly as it was."""

import pytest
from django.test import Client

from learning.models import LessonProgress
from quizzes import grading
from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt, Response
from tests.factories import make_quiz


def broken_record_result(**kwargs):
    raise RuntimeError("disk full while recording progress")


@pytest.fixture
def attempt_with_answers(student):
    quiz = make_quiz(questions=3)
    attempt = start_attempt(user=student, quiz=quiz)
    answers = {q["id"]: [q["choices"][0]["id"]] for q in attempt.paper["questions"][:2]}
    save_answers(attempt=attempt, answers=answers)
    return attempt, answers


def test_error_between_saving_and_scoring_rolls_the_whole_submit_back(
    student, attempt_with_answers, monkeypatch
):
    attempt, answers = attempt_with_answers
    monkeypatch.setattr(grading, "record_result", broken_record_result)
    client = Client(raise_request_exception=False)
    client.force_login(student)

    response = client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})

    assert response.status_code == 500
    assert b"Traceback" not in response.content
    assert b"Something went wrong" in response.content
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    assert "correct" not in attempt.paper["questions"][0]  # nothing frozen
    saved = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "selected"))
    assert saved == answers
    assert Response.objects.filter(attempt=attempt, is_correct__isnull=False).count() == 0
    assert not LessonProgress.objects.filter(user=student, attempts_submitted__gt=0).exists()


def test_next_submit_after_a_failed_one_grades_exactly_once(
    student, attempt_with_answers, monkeypatch
):
    attempt, _answers = attempt_with_answers
    client = Client(raise_request_exception=False)
    client.force_login(student)
    monkeypatch.setattr(grading, "record_result", broken_record_result)
    client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})
    monkeypatch.undo()

    first = client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})
    second = client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})

    assert first.status_code == second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert Attempt.objects.filter(user=student).count() == 1
    progress = LessonProgress.objects.get(user=student, lesson=attempt.quiz.lesson)
    assert progress.attempts_submitted == 1
