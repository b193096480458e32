"""A per-quiz time limit, enforced on the server with the answers saved before the deadline."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt
from tests.factories import make_quiz, right_answer, wrong_answer

JSON = {"accept": "application/json"}


@pytest.fixture
def quiz(db):
    return make_quiz(questions=2, time_limit_minutes=10, pass_mark=50)


def expire(attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))


def selected(attempt):
    return dict(attempt.responses.values_list("question_id", "selected"))


def test_starting_sets_the_deadline_from_the_time_limit(attempt):
    assert attempt.deadline is not None
    left = attempt.deadline - timezone.now()
    assert timedelta(minutes=9) < left <= timedelta(minutes=10)


def test_attempt_page_shows_a_countdown(student_client, attempt):
    html = student_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    seconds = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 590 <= seconds <= 600
    assert "Time left" in html


def test_no_countdown_without_a_time_limit(student_client, student):
    attempt = start_attempt(user=student, quiz=make_quiz(questions=1))

    html = student_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    assert attempt.deadline is None
    assert "data-seconds-left" not in html


def test_attempt_past_its_deadline_is_graded_with_the_saved_answers(
    student_client, attempt, student, quiz
):
    q1, q2 = (q["id"] for q in attempt.paper["questions"])
    save_answers(attempt=attempt, answers={q1: right_answer(q1)})
    expire(attempt)

    response = student_client.get(reverse("quizzes:attempt", args=[attempt.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "Time was up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal("50.00")
    assert dict(attempt.responses.values_list("question_id", "is_correct")) == {
        q1: True,
        q2: False,
    }
    assert LessonProgress.objects.get(user=student, lesson=quiz.lesson).attempts_submitted == 1


@pytest.mark.parametrize("headers", [{}, JSON], ids=["button", "background"])
def test_save_after_the_deadline_is_rejected(student_client, attempt, headers):
    q1, q2 = (q["id"] for q in attempt.paper["questions"])
    save_answers(attempt=attempt, answers={q1: wrong_answer(q1)})
    expire(attempt)

    response = student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": [q1, q2], f"q{q1}": right_answer(q1), f"q{q2}": right_answer(q2)},
        headers=headers,
    )

    assert response.status_code == 409
    assert "Time is up" in response.content.decode()
    assert {q: chosen for q, chosen in selected(attempt).items() if chosen} == {
        q1: wrong_answer(q1)
    }


def test_submit_after_the_deadline_cannot_add_answers(student_client, attempt):
    q1, q2 = (q["id"] for q in attempt.paper["questions"])
    save_answers(attempt=attempt, answers={q1: wrong_answer(q1)})
    expire(attempt)

    response = student_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {
            "shown": [q1, q2],
            f"q{q1}": right_answer(q1),
            f"q{q2}": right_answer(q2),
            "confirm": "yes",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "Time was up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00")
    assert selected(attempt) == {q1: wrong_answer(q1), q2: []}


def test_start_after_an_expired_open_attempt_grades_it_and_begins_the_next(
    student_client, attempt, student, quiz
):
    expire(attempt)

    response = student_client.post(
        reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])
    )

    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    latest = Attempt.objects.get(user=student, quiz=quiz, number=2)
    assert response.url == reverse("quizzes:attempt", args=[latest.pk])
    assert latest.deadline > timezone.now()


def test_quiz_page_states_the_time_limit(client, quiz):
    assert "Time limit 10 min" in client.get(quiz.get_absolute_url()).content.decode()
