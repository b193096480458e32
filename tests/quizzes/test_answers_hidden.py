"""Correct answers never reach the browser before the attempt is submitted."""

import json
import re

import pytest
from django.urls import reverse

from quizzes.models import Choice
from tests.factories import make_quiz

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def quiz(db):
    quiz = make_quiz(questions=3)
    for question in quiz.questions.all():
        question.explanation = "EXPLANATION-SECRET"
        question.source_passage = "PASSAGE-SECRET"
        question.save()
    Choice.objects.filter(is_correct=True).update(feedback="FEEDBACK-RIGHT")
    Choice.objects.filter(is_correct=False).update(feedback="FEEDBACK-WRONG")
    return quiz


def attempt_page(client, attempt):
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    return CSRF.sub("CSRF", html)


def assert_reveals_nothing(text):
    lowered = text.lower()
    assert "correct" not in lowered
    for secret in ("EXPLANATION-SECRET", "PASSAGE-SECRET", "FEEDBACK-RIGHT", "FEEDBACK-WRONG"):
        assert secret not in text


def test_open_attempt_paper_holds_no_key(attempt):
    paper = json.dumps(attempt.paper)

    assert_reveals_nothing(paper)
    assert set(attempt.paper["questions"][0]["choices"][0]) == {"id", "text"}


def test_attempt_page_says_nothing_about_which_choice_is_right(student_client, attempt):
    assert_reveals_nothing(attempt_page(student_client, attempt))


def test_attempt_page_is_identical_whichever_choice_is_correct(student_client, attempt, quiz):
    before = attempt_page(student_client, attempt)

    for question in quiz.questions.filter(kind="single"):
        first, second = question.choices.order_by("position")[:2]
        Choice.objects.filter(pk=first.pk).update(is_correct=False)
        Choice.objects.filter(pk=second.pk).update(is_correct=True)
    after = attempt_page(student_client, attempt)

    assert before == after


def test_background_save_answers_only_that_it_saved(student_client, attempt):
    question = attempt.paper["questions"][0]

    response = student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": question["id"], f"q{question['id']}": question["choices"][0]["id"]},
        headers={"accept": "application/json"},
    )

    assert response.json() == {"saved": True, "questions": 1}
    assert_reveals_nothing(response.content.decode())


def test_rejected_background_save_reveals_nothing(student_client, attempt):
    question = attempt.paper["questions"][0]

    response = student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": question["id"], f"q{question['id']}": "not-a-number"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"saved", "error"}
    assert_reveals_nothing(response.content.decode())


def test_submit_confirmation_page_reveals_nothing(student_client, attempt):
    question = attempt.paper["questions"][0]

    response = student_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {"shown": question["id"], f"q{question['id']}": question["choices"][0]["id"]},
    )

    html = response.content.decode()
    assert "Submit with unanswered questions?" in html
    assert_reveals_nothing(html)
