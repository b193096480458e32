"""Submitting: confirmation for unanswered questions, grading exactly once, rows written in bulk."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.grading import start_attempt
from quizzes.models import Attempt, Response
from tests.factories import make_quiz, right_answer, wrong_answer
from tests.pages import visible_text


@pytest.fixture
def quiz(db):
    return make_quiz(questions=4, pass_mark=50)  # questions 1-3 single answer, 4 select-all


def shown(attempt):
    return [q["id"] for q in attempt.paper["questions"]]


def form(attempt, picks, **extra):
    data = {"shown": shown(attempt), **extra}
    data.update({f"q{qid}": chosen for qid, chosen in picks.items()})
    return data


def submit(client, attempt, data, **kwargs):
    return client.post(reverse("quizzes:submit", args=[attempt.pk]), data, **kwargs)


def test_submitting_every_answer_grades_and_shows_the_result(student_client, attempt):
    q1, q2, q3, q4 = shown(attempt)
    picks = {q1: right_answer(q1), q2: right_answer(q2), q3: wrong_answer(q3), q4: right_answer(q4)}

    response = submit(student_client, attempt, form(attempt, picks))

    assert response.status_code == 302
    assert response.url == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.score == Decimal("75.00")
    assert attempt.passed is True
    assert dict(attempt.responses.values_list("question_id", "is_correct")) == {
        q1: True,
        q2: True,
        q3: False,
        q4: True,
    }


def test_submit_with_unanswered_questions_asks_for_confirmation_naming_them(
    student_client, attempt
):
    q1, q2, q3, q4 = shown(attempt)

    response = submit(
        student_client, attempt, form(attempt, {q1: right_answer(q1), q3: right_answer(q3)})
    )

    assert response.status_code == 200
    assert "Submit with unanswered questions?" in visible_text(response)
    assert "You have not answered questions 2 , 4 ." in visible_text(response)
    html = response.content.decode()
    assert 'href="#question-2"' in html and 'href="#question-4"' in html
    # "Submit anyway" belongs to the quiz form: it posts the answers the page shows.
    button = re.search(r"<button[^>]*>Submit anyway</button>", html).group(0)
    assert 'form="attempt-form"' in button and 'name="confirm" value="yes"' in button
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.score is None
    # What was chosen is kept while the student decides.
    assert dict(attempt.responses.values_list("question_id", "selected")) == {
        q1: right_answer(q1),
        q2: [],
        q3: right_answer(q3),
        q4: [],
    }
    assert not LessonProgress.objects.filter(attempts_submitted__gt=0).exists()


def test_answers_saved_earlier_count_as_answered(student_client, attempt):
    q1, q2, q3, q4 = shown(attempt)
    student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        form(
            attempt,
            {
                q1: right_answer(q1),
                q2: wrong_answer(q2),
                q3: right_answer(q3),
                q4: right_answer(q4),
            },
        ),
    )

    # The submit button posts the whole form; a JS save may have stored it already.
    response = submit(student_client, attempt, {})

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("75.00")


def test_confirmed_submit_grades_unanswered_questions_as_wrong(student_client, attempt):
    q1, q2, q3, q4 = shown(attempt)

    response = submit(student_client, attempt, form(attempt, {q1: right_answer(q1)}, confirm="yes"))

    assert response.url == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.score == Decimal("25.00")
    assert attempt.passed is False
    assert dict(attempt.responses.values_list("question_id", "is_correct")) == {
        q1: True,
        q2: False,
        q3: False,
        q4: False,
    }


def test_confirmed_submit_with_nothing_chosen_scores_zero(student_client, attempt):
    submit(student_client, attempt, form(attempt, {}, confirm="yes"))

    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00")
    assert attempt.responses.filter(is_correct=False).count() == 4
    result = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert visible_text(result).count("Not answered") == 4


def test_second_submit_grades_once(student_client, attempt, student, quiz):
    q1, q2, q3, q4 = shown(attempt)
    first = submit(student_client, attempt, form(attempt, {q1: right_answer(q1)}, confirm="yes"))
    attempt.refresh_from_db()
    graded = (attempt.submitted_at, attempt.score, attempt.passed)
    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)

    # A double click, another tab, a replayed POST with better answers.
    replay = submit(
        student_client,
        attempt,
        form(attempt, {q: right_answer(q) for q in (q1, q2, q3, q4)}, confirm="yes"),
    )

    assert replay.status_code == 302
    assert replay.url == first.url
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, attempt.passed) == graded
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 1
    assert Response.objects.filter(attempt=attempt).exclude(selected=[]).count() == 1
    progress.refresh_from_db()
    assert progress.attempts_submitted == 1
    assert progress.best_score == Decimal("25.00")


def test_submit_with_bad_input_is_400_and_grades_nothing(student_client, attempt):
    q1, *_ = shown(attempt)

    response = submit(student_client, attempt, form(attempt, {q1: "nope"}, confirm="yes"))

    assert response.status_code == 400
    assert "That is not a valid choice id." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not attempt.responses.exists()


def test_submit_moves_the_lesson_progress(student_client, attempt, student, quiz):
    q1, q2, q3, q4 = shown(attempt)

    submit(student_client, attempt, form(attempt, {q: right_answer(q) for q in (q1, q2, q3, q4)}))

    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.attempts_submitted == 1
    assert progress.best_score == Decimal("100.00")
    assert progress.passed_at is not None


def test_submit_writes_its_rows_in_bulk(student_client, student, django_assert_max_num_queries):
    big = make_quiz(questions=12)
    attempt = start_attempt(user=student, quiz=big)
    picks = {qid: right_answer(qid) for qid in shown(attempt)}

    # Per question, one query would blow this bound: 12 questions, 12 responses.
    with django_assert_max_num_queries(25):
        response = submit(student_client, attempt, form(attempt, picks))

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    assert attempt.responses.filter(is_correct=True).count() == 12


def test_submit_is_post_only(student_client, attempt):
    assert student_client.get(reverse("quizzes:submit", args=[attempt.pk])).status_code == 405
