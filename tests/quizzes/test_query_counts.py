"""Quiz pages run a fixed number of queries, whatever the number of lessons, questions,
choices or past attempts: each is measured on a small and a large course with one bound."""

import pytest
from django.urls import reverse

from learning.progress import record_visit
from quizzes.grading import save_answers, start_attempt, submit_attempt
from tests.conftest import make_user
from tests.factories import CourseFactory, make_quiz

# lessons, questions per quiz, submitted attempts per quiz
SIZES = {"small": (2, 3, 1), "large": (8, 12, 3)}


def answers_for(quiz, pick):
    return {
        q.pk: [list(q.choices.all())[pick].pk] for q in quiz.questions.prefetch_related("choices")
    }


def build_course(users, *, lessons, questions, attempts):
    course = CourseFactory()
    quizzes = []
    for position in range(1, lessons + 1):
        quiz = make_quiz(
            questions=questions, course=course, lesson_position=position, max_attempts=None
        )
        quizzes.append(quiz)
        # Odd lessons passed, even ones failed: rows of both kinds, wrong answers to list.
        answers = answers_for(quiz, 0 if position % 2 else -1)
        for user in users:
            record_visit(user, quiz.lesson)
            for _ in range(attempts):
                attempt = start_attempt(user=user, quiz=quiz)
                save_answers(attempt=attempt, answers=answers)
                submit_attempt(attempt=attempt)
    return quizzes


@pytest.fixture(params=list(SIZES))
def quiz(request, student, db):
    """The last quiz of a course with a history, and an open attempt on it."""
    lessons, questions, attempts = SIZES[request.param]
    # Another student's history, and a second course, so every list can grow.
    build_course([make_user("carol")], lessons=lessons, questions=questions, attempts=1)
    build_course([student], lessons=lessons, questions=questions, attempts=1)
    quiz = build_course([student], lessons=lessons, questions=questions, attempts=attempts)[-1]
    start_attempt(user=student, quiz=quiz)
    return quiz


@pytest.fixture
def open_attempt(quiz, student):
    return quiz.attempts.get(user=student, submitted_at__isnull=True)


def whole_form(attempt, answers, **extra):
    data = {"shown": list(answers), **extra}
    data.update({f"q{qid}": chosen for qid, chosen in answers.items()})
    return data


# Signed-in requests include up to 6 queries of their own: session, user, the
# Teachers-group check of the navigation bar and the sliding session's renewal (3).
def test_quiz_page_queries_are_bounded(student_client, quiz, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        response = student_client.get(quiz.get_absolute_url())
    assert response.status_code == 200
    assert "Resume attempt" in response.content.decode()


def test_attempt_page_queries_are_bounded(
    student_client, open_attempt, quiz, django_assert_max_num_queries
):
    save_answers(attempt=open_attempt, answers=answers_for(quiz, 1))
    with django_assert_max_num_queries(8):
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
    with django_assert_max_num_queries(12):
        response = student_client.post(
            reverse("quizzes:submit", args=[open_attempt.pk]), whole_form(open_attempt, {})
        )
    assert "Submit with unanswered questions?" in response.content.decode()


def test_result_page_queries_are_bounded(
    student_client, student, quiz, django_assert_max_num_queries
):
    attempt = quiz.attempts.filter(user=student).submitted().first()
    with django_assert_max_num_queries(10):
        response = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response.status_code == 200
    assert "Why:" in response.content.decode()


def test_my_progress_queries_are_bounded(student_client, quiz, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = student_client.get(reverse("quizzes:progress"))
    assert response.status_code == 200
    assert "Question" in response.content.decode()  # missed questions are listed
