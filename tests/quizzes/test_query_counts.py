"""Quiz pages run a fixed number of queries, whatever the number of lessons, questions,
choices or past attempts: each is measured on a small and a large course with one bound."""

import pytest
from django.urls import reverse

from quizzes.grading import save_answers, start_attempt
from tests.factories import HISTORY_SIZES, answers_for, course_with_history


@pytest.fixture(params=list(HISTORY_SIZES))
def quiz(request, student, db):
    """The last quiz of a course with a history, and an open attempt on it."""
    _course, quizzes = course_with_history(student, request.param, carols_attempts=1)
    quiz = quizzes[-1]
    start_attempt(user=student, quiz=quiz)
    return quiz


@pytest.fixture
def open_attempt(quiz, student):
    return quiz.attempts.get(user=student, submitted_at__isnull=True)


def whole_form(attempt, answers, **extra):
    data = {"shown": list(answers), **extra}
    data.update({f"q{qid}": chosen for qid, chosen in answers.items()})
    return data


# Signed-in requests include up to 7 queries of their own: session, user, the
# Teachers-group check of the navigation bar, its count of reviews due (pages only;
# cached after the first) and the sliding session's renewal (3).
def test_quiz_page_queries_are_bounded(student_client, quiz, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = student_client.get(quiz.get_absolute_url())
    assert response.status_code == 200
    assert "Resume attempt" in response.content.decode()


def test_attempt_page_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    save_answers(attempt=open_attempt, answers=answers_for(quiz, 1))
    with django_assert_max_num_queries(9):
        response = student_client.get(reverse("quizzes:attempt", args=[open_attempt.pk]))
    assert response.status_code == 200


def test_background_save_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    qid, chosen = next(iter(answers_for(quiz, 1).items()))
    with django_assert_max_num_queries(11):
        response = student_client.post(
            reverse("quizzes:save", args=[open_attempt.pk]),
            {"shown": qid, f"q{qid}": chosen},
            headers={"accept": "application/json"},
        )
    assert response.json()["saved"] is True


def test_save_button_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    data = whole_form(open_attempt, answers_for(quiz, 1))
    with django_assert_max_num_queries(11):
        response = student_client.post(reverse("quizzes:save", args=[open_attempt.pk]), data)
    assert response.status_code == 302
    assert not open_attempt.responses.filter(selected=[]).exists()


def test_submit_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    data = whole_form(open_attempt, answers_for(quiz, 0))
    with django_assert_max_num_queries(22):
        response = student_client.post(reverse("quizzes:submit", args=[open_attempt.pk]), data)
    assert response.status_code == 302
    open_attempt.refresh_from_db()
    assert open_attempt.submitted_at is not None


def test_submit_confirmation_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        response = student_client.post(
            reverse("quizzes:submit", args=[open_attempt.pk]), whole_form(open_attempt, {})
        )
    assert "Submit with unanswered questions?" in response.content.decode()


def test_result_page_queries_are_bounded(
    student_client, student, quiz, django_assert_max_num_queries
):
    attempt = quiz.attempts.filter(user=student).submitted().first()
    with django_assert_max_num_queries(12):  # 11, and the student's open question reports
        response = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response.status_code == 200
    assert "Why:" in response.content.decode()


def test_my_progress_queries_are_bounded(student_client, quiz, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):  # 13, and the mastery's cards (review's hook)
        response = student_client.get(reverse("quizzes:progress"))
    assert response.status_code == 200
    assert "Question" in response.content.decode()  # missed questions are listed
