"""Mastery per lesson: from quiz results and predicted recall, and it decays."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from learning.progress import record_result
from review.mastery import (
    MATURE_STABILITY_DAYS,
    RECALL_FLOOR,
    Level,
    lesson_mastery,
    level_for,
    mastery_grid,
)
from review.models import Card, Source
from review.scheduling import record_answers
from tests.factories import CourseFactory, make_quiz

from .conftest import passed, quiz_ids


def facts(**given):
    base = {"attempted": True, "passed": True, "cards": 4, "in_review": 4, "mature": 0}
    return {"recall": 0.95, **base, **given}


@pytest.mark.parametrize(
    ("given", "level"),
    [
        ({"attempted": False, "passed": False, "cards": 0, "recall": None}, Level.NOT_STARTED),
        ({"passed": False, "in_review": 1}, Level.ATTEMPTED),
        ({"passed": False, "recall": 0.1}, Level.ATTEMPTED),  # never learned: nothing fades
        ({"in_review": 3}, Level.FAMILIAR),
        ({"cards": 0, "in_review": 0, "recall": None}, Level.FAMILIAR),  # passed before cards
        ({}, Level.PROFICIENT),
        ({"mature": 3}, Level.PROFICIENT),
        ({"mature": 4}, Level.MASTERED),
        ({"mature": 4, "recall": RECALL_FLOOR}, Level.MASTERED),
        ({"mature": 4, "recall": RECALL_FLOOR - 0.01}, Level.NEEDS_REVIEW),
        ({"in_review": 2, "recall": 0.5}, Level.NEEDS_REVIEW),
    ],
)
def test_the_levels(given, level):
    assert level_for(**facts(**given)) == level


def review_until_mature(user, quiz, start):
    """Answer every question of `quiz` right whenever one falls due, until all are
    mature; returns the time of the last review."""
    ids, at = quiz_ids(quiz), start
    record_answers(user, dict.fromkeys(ids, True), now=at, source=Source.QUIZ)
    while Card.objects.filter(user=user, stability__lt=MATURE_STABILITY_DAYS).exists():
        at = max(Card.objects.filter(user=user).values_list("due", flat=True))
        record_answers(user, dict.fromkeys(ids, True), now=at, source=Source.REVIEW)
    return at


def test_a_mastered_lesson_needs_review_after_long_enough_without_one(student, quiz, now):
    passed(student, quiz, now)
    last = review_until_mature(student, quiz, now)
    lesson = quiz.lesson_id

    assert lesson_mastery(student, [lesson], now=last)[lesson].level == Level.MASTERED
    months_later = lesson_mastery(student, [lesson], now=last + timedelta(days=90))[lesson]
    assert months_later.level == Level.MASTERED
    assert months_later.recall < 0.9  # fading already, above the floor still

    years_later = lesson_mastery(student, [lesson], now=last + timedelta(days=3 * 365))[lesson]
    assert years_later.level == Level.NEEDS_REVIEW
    assert years_later.recall < RECALL_FLOOR
    assert years_later.due == 3


def test_a_review_brings_a_faded_lesson_back(student, quiz, now):
    passed(student, quiz, now)
    record_answers(student, dict.fromkeys(quiz_ids(quiz), True), now=now, source=Source.QUIZ)
    lesson = quiz.lesson_id
    faded = now + timedelta(days=60)
    assert lesson_mastery(student, [lesson], now=faded)[lesson].level == Level.NEEDS_REVIEW

    record_answers(student, dict.fromkeys(quiz_ids(quiz), True), now=faded, source=Source.REVIEW)

    # Recalled after two months: py-fsrs takes that as proof of a lasting memory.
    back = lesson_mastery(student, [lesson], now=faded)[lesson]
    assert (back.level, back.recall) == (Level.MASTERED, 1.0)


def test_levels_follow_the_quiz_and_the_cards(student, now):
    course = CourseFactory()
    quizzes = [make_quiz(questions=3, course=course, lesson_position=n) for n in (1, 2, 3, 4)]
    untouched, failed, one_missed, all_right = quizzes
    record_result(user=student, lesson=failed.lesson, score=0, passed=False, at=now)
    record_answers(student, dict.fromkeys(quiz_ids(failed), False), now=now, source="quiz")
    passed(student, one_missed, now, score=67)
    first, *rest = quiz_ids(one_missed)
    record_answers(student, {first: False, **dict.fromkeys(rest, True)}, now=now, source="quiz")
    passed(student, all_right, now)
    record_answers(student, dict.fromkeys(quiz_ids(all_right), True), now=now, source="quiz")

    found = lesson_mastery(student, [quiz.lesson for quiz in quizzes], now=now)

    assert [found[quiz.lesson_id].level for quiz in quizzes] == [
        Level.NOT_STARTED,
        Level.ATTEMPTED,
        Level.FAMILIAR,
        Level.PROFICIENT,
    ]
    assert found[failed.lesson_id].label == "Attempted"
    assert found[all_right.lesson_id].recall == 1.0
    assert found[untouched.lesson_id].recall is None


def test_unapproved_questions_do_not_count(student, quiz, now):
    passed(student, quiz, now)
    first, *rest = quiz_ids(quiz)
    record_answers(student, {first: False, **dict.fromkeys(rest, True)}, now=now, source="quiz")
    quiz.questions.filter(pk=first).update(status="retired")

    mastery = lesson_mastery(student, [quiz.lesson_id], now=now)[quiz.lesson_id]

    assert (mastery.level, mastery.cards) == (Level.PROFICIENT, 2)


def test_a_visitor_has_not_started_anything(quiz, now, django_assert_num_queries):
    with django_assert_num_queries(0):
        found = lesson_mastery(AnonymousUser(), [quiz.lesson_id], now=now)

    assert found[quiz.lesson_id].level == Level.NOT_STARTED


@pytest.mark.parametrize("lessons", [2, 8])
def test_one_learners_mastery_takes_two_queries_at_most(
    student, now, lessons, django_assert_num_queries
):
    course = CourseFactory()
    for position in range(1, lessons + 1):
        quiz = make_quiz(questions=4, course=course, lesson_position=position)
        passed(student, quiz, now)
        record_answers(student, dict.fromkeys(quiz_ids(quiz), True), now=now, source="quiz")
    lesson_ids = list(course.lessons.values_list("pk", flat=True))

    with django_assert_num_queries(2):
        found = lesson_mastery(student, lesson_ids, now=now + timedelta(days=5))

    assert len(found) == lessons
    with django_assert_num_queries(1):  # the page read the progress already
        lesson_mastery(student, lesson_ids, now=now, progress={})


def test_the_grid_agrees_with_each_learners_own_mastery(
    student, other_student, now, django_assert_num_queries
):
    course = CourseFactory()
    quizzes = [make_quiz(questions=3, course=course, lesson_position=n) for n in (1, 2)]
    passed(student, quizzes[0], now)
    review_until_mature(student, quizzes[0], now)
    passed(other_student, quizzes[0], now)
    record_answers(other_student, dict.fromkeys(quiz_ids(quizzes[0]), True), now=now, source="quiz")
    first, *rest = quiz_ids(quizzes[1])
    record_result(user=other_student, lesson=quizzes[1].lesson, score=33, passed=False, at=now)
    record_answers(
        other_student, {first: True, **dict.fromkeys(rest, False)}, now=now, source="quiz"
    )
    lessons = [quiz.lesson_id for quiz in quizzes]

    for at in [now + timedelta(days=d) for d in (0, 1, 30, 400, 2000)]:
        with django_assert_num_queries(2):
            grid = mastery_grid([student, other_student], lessons, now=at)
        for user in (student, other_student):
            own = lesson_mastery(user, lessons, now=at)
            for lesson in lessons:
                cell, expected = grid[user.pk, lesson], own[lesson]
                assert (cell.level, cell.cards, cell.due) == (
                    expected.level,
                    expected.cards,
                    expected.due,
                )
                assert cell.recall == pytest.approx(expected.recall)
