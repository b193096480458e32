"""Feeding a quiz's answers to the scheduler costs the same few queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from review.models import Card, ReviewLog, Source
from review.scheduling import record_answers
from tests.factories import make_quiz

from .conftest import quiz_ids


def results_for(ids, right):
    return {qid: (n % 2 == 0) == right for n, qid in enumerate(ids)}


@pytest.mark.parametrize("size", [3, 30])
def test_first_answers_cost_three_queries(student, now, size, django_assert_max_num_queries):
    ids = quiz_ids(make_quiz(questions=size))

    with django_assert_max_num_queries(3):  # read the cards, insert cards, insert logs
        record_answers(student, results_for(ids, True), now=now, source=Source.QUIZ)

    assert Card.objects.filter(user=student).count() == size
    assert ReviewLog.objects.filter(card__user=student).count() == size


@pytest.mark.parametrize("size", [3, 30])
def test_new_and_known_cards_together_cost_four_queries(
    student, now, size, django_assert_max_num_queries
):
    ids = quiz_ids(make_quiz(questions=size))
    record_answers(student, results_for(ids[: size // 2], True), now=now, source=Source.QUIZ)

    with django_assert_max_num_queries(4):  # ... and update the known cards
        record_answers(student, results_for(ids, False), now=now, source=Source.QUIZ)

    assert Card.objects.filter(user=student).count() == size
    assert ReviewLog.objects.filter(card__user=student).count() == size + size // 2


def test_the_count_does_not_grow_with_the_number_of_questions(student, other_student, now):
    counts = []
    for user, size in [(student, 3), (other_student, 30)]:
        ids = quiz_ids(make_quiz(questions=size))
        record_answers(user, results_for(ids[:1], True), now=now, source=Source.QUIZ)
        with CaptureQueriesContext(connection) as queries:
            record_answers(user, results_for(ids, True), now=now, source=Source.QUIZ)
        counts.append(len(queries))
    assert counts[0] == counts[1]
