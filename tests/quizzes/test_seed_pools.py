"""The seed course's quizzes as the item-writing rules want them: pools to draw from,
questions that pass every check, and retakes that show different questions."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from learning.models import Course
from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import QuestionKind, QuestionStatus

SLUG = "coalition-of-the-willing"


@pytest.fixture
def quizzes(loaded_once, db):
    course = Course.objects.get(slug=SLUG)
    return [lesson.quiz for lesson in course.lessons.order_by("position")]


def test_check_questions_finds_nothing_in_the_seed(quizzes):
    out, err = StringIO(), StringIO()

    call_command("check_questions", SLUG, stdout=out, stderr=err)  # exits 1 on a finding

    assert out.getvalue() == "" and err.getvalue() == ""


def test_every_lesson_has_a_pool_of_at_least_8_approved_questions(quizzes):
    for quiz in quizzes:
        approved = quiz.questions.approved().count()
        assert approved >= 8, quiz
        assert quiz.questions_per_attempt in (5, 6), quiz
        assert quiz.questions.exclude(status=QuestionStatus.APPROVED).count() == 0, quiz
        assert quiz.is_offered(approved)


def test_select_all_questions_remain_across_the_course(quizzes):
    select_all = sum(quiz.questions.filter(kind=QuestionKind.MULTIPLE).count() for quiz in quizzes)
    assert select_all >= 3


def test_retakes_of_a_seed_quiz_draw_different_questions(quizzes, student):
    quiz = quizzes[0]
    quiz.max_attempts = None
    quiz.save()
    drawn = []
    for seed in range(2):
        attempt = start_attempt(user=student, quiz=quiz, rng=random.Random(seed))
        drawn.append({q["id"] for q in attempt.paper["questions"]})
        submit_attempt(attempt=attempt)

    assert all(len(ids) == quiz.questions_per_attempt for ids in drawn)
    assert drawn[0] != drawn[1]
    # The least-seen questions come first: the second attempt shows every question
    # the first one left out.
    pool = set(quiz.questions.approved().values_list("pk", flat=True))
    assert pool - drawn[0] <= drawn[1]


def test_the_seed_reveals_answers_once_passed_or_no_attempts_left(quizzes):
    assert {quiz.reveal_answers for quiz in quizzes} == {"passed_or_no_attempts_left"}
