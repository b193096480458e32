"""Practice: a lesson's missed questions on demand, before they are due. It updates the
cards as review does and never changes a quiz grade."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Attempt, RevealAnswers
from review.models import Card, ReviewLog, Source
from tests.factories import answers_for, make_quiz, right_answer

from .test_review_session import answer, form_of


def practice_url(quiz):
    lesson = quiz.lesson
    return reverse("review:practice", args=[lesson.course.slug, lesson.slug])


@pytest.fixture
def taken(student):
    """`student` passed a quiz of three questions, missing the first one: nothing due
    for days except that one, soon."""
    quiz = make_quiz(questions=3, reveal_answers=RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT)
    attempt = start_attempt(user=student, quiz=quiz)
    answers = {pk: right_answer(pk) for pk in quiz.questions.values_list("pk", flat=True)}
    first = quiz.questions.order_by("position").first()
    answers[first.pk] = [first.choices.filter(is_correct=False).first().pk]
    save_answers(attempt=attempt, answers=answers)
    assert submit_attempt(attempt=attempt).passed
    return quiz


def test_practice_offers_the_missed_questions_before_they_are_due(student_client, student, taken):
    missed = taken.questions.order_by("position").first()
    card = Card.objects.get(user=student, question=missed)
    assert card.due > timezone.now()  # not due yet: review would not show it
    page = student_client.get(practice_url(taken))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Practice: " in html and "Question 1 of 1" in html
    assert missed.prompt in html and missed.explanation not in html
    _fields, question_id = form_of(page)
    assert question_id == missed.pk


def test_practice_updates_the_card_and_keeps_the_quiz_grade(student_client, student, taken):
    attempts = list(Attempt.objects.values())
    progress = list(LessonProgress.objects.values())
    page = student_client.get(practice_url(taken))
    _fields, question_id = form_of(page)
    before = Card.objects.get(user=student, question_id=question_id)
    response = answer(student_client, page, right_answer(question_id))
    assert response.status_code == 302
    feedback = student_client.get(response.url).content.decode()
    assert "Practice: right" in feedback
    card = Card.objects.get(pk=before.pk)
    assert card.last_review > before.last_review and card.due > before.due
    assert ReviewLog.objects.filter(card=card).latest("pk").source == Source.PRACTICE
    assert list(Attempt.objects.values()) == attempts
    assert list(LessonProgress.objects.values()) == progress
    # The round is over: one missed question, answered.
    next_url = re.search(r'href="([^"]+)" id="next-question"', feedback).group(1)
    done = student_client.get(next_url.replace("&amp;", "&")).content.decode()
    assert "You answered 1 question: 1 right." in done and "Practise again" in done


def test_nothing_missed_offers_every_question(student_client, student):
    quiz = make_quiz(questions=2)
    attempt = start_attempt(user=student, quiz=quiz)
    ids = quiz.questions.values_list("pk", flat=True)
    save_answers(attempt=attempt, answers={pk: right_answer(pk) for pk in ids})
    assert submit_attempt(attempt=attempt).score == 100
    page = student_client.get(practice_url(quiz)).content.decode()
    assert "You have not missed any of this lesson's questions." in page
    assert "Practise all 2 questions" in page
    every = student_client.get(practice_url(quiz), {"all": "1"}).content.decode()
    assert "Question 1 of 2" in every


def test_practice_waits_until_the_quiz_key_may_be_shown(student_client, student):
    quiz = make_quiz(questions=2, reveal_answers=RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT)
    attempt = start_attempt(user=student, quiz=quiz)
    save_answers(attempt=attempt, answers=answers_for(quiz, -1))
    assert not submit_attempt(attempt=attempt).passed
    page = student_client.get(practice_url(quiz)).content.decode()
    assert "There is nothing to practise here yet." in page
    assert quiz.questions.first().prompt not in page


def test_practice_of_an_unpublished_lesson_is_not_found(student_client, taken):
    taken.lesson.published = False
    taken.lesson.save()
    assert student_client.get(practice_url(taken)).status_code == 404


def test_practice_needs_a_signed_in_learner(client, taken):
    response = client.get(practice_url(taken))
    assert response.status_code == 302 and reverse("login") in response.url


def test_practice_rounds_hold_the_session_size(student_client, student):
    from review.scheduling import record_answers
    from review.sessions import SESSION_SIZE

    from .conftest import passed, quiz_ids

    quiz = make_quiz(questions=14)
    past = timezone.now() - timedelta(days=2)
    passed(student, quiz, past)
    record_answers(student, dict.fromkeys(quiz_ids(quiz), False), now=past, source="quiz")
    page = student_client.get(practice_url(quiz)).content.decode()
    assert f"Question 1 of {SESSION_SIZE}" in page
