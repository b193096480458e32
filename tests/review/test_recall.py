"""Predicted recall in SQL is py-fsrs's retrievability, so a class's grid can average it
in the database."""

from datetime import timedelta

import pytest
from django.db import connection

from review.models import Card, Source
from review.recall import decay_and_factor, predicted_recall, recall_expression
from review.scheduling import record_answers
from tests.factories import make_quiz

from .conftest import quiz_ids


def test_the_formula_is_py_fsrs_s_own():
    decay, factor = decay_and_factor()
    assert decay == -0.1542  # py-fsrs 6's default w[20]
    stability = 7.0
    assert (1 + factor * stability / stability) ** decay == pytest.approx(0.9)


@pytest.fixture
def cards(student, now):
    """Cards of every state: new and right, missed, relearned, long in review."""
    new, missed, reviewed, lapsed = quiz_ids(make_quiz(questions=4))
    record_answers(
        student, {new: True, missed: False, reviewed: True, lapsed: True}, now=now, source="quiz"
    )
    for _ in range(3):
        at = Card.objects.get(question_id=reviewed).due
        record_answers(student, {reviewed: True, lapsed: True}, now=at, source=Source.REVIEW)
    record_answers(student, {lapsed: False}, now=at + timedelta(days=40), source=Source.REVIEW)
    return list(Card.objects.filter(user=student))


@pytest.mark.parametrize(
    "after",
    [
        timedelta(0),
        timedelta(hours=23, minutes=59),
        timedelta(days=1),  # a whole day exactly: py-fsrs counts whole days
        timedelta(days=1, seconds=1),
        timedelta(days=45, hours=5),
        timedelta(days=1000),
        -timedelta(days=2),  # before the last review: never above 1
    ],
)
def test_the_database_computes_what_py_fsrs_predicts(cards, after):
    for card in cards:
        at = card.last_review + after
        in_sql = Card.objects.annotate(recall=recall_expression(at)).get(pk=card.pk).recall
        assert in_sql == pytest.approx(predicted_recall(card, now=at), rel=1e-9)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the two SQL forms of SQLite's seconds count"
)
def test_older_sqlite_counts_the_same_seconds(cards, monkeypatch):
    """SQLite before 3.38 has no unixepoch(): strftime('%s') must give the same recall."""
    at = cards[0].last_review + timedelta(days=45, hours=5)
    newer = dict(Card.objects.annotate(r=recall_expression(at)).values_list("pk", "r"))
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 37, 2))
    older = dict(Card.objects.annotate(r=recall_expression(at)).values_list("pk", "r"))
    assert older == newer and len(newer) == len(cards)
