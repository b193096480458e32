"""A fixed clock and small builders for the review room's tests."""

from datetime import UTC, datetime

import pytest

from learning.progress import record_result
from tests.factories import make_quiz


@pytest.fixture
def now():
    return datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def quiz_ids(quiz):
    return list(quiz.questions.order_by("position").values_list("pk", flat=True))


def passed(user, quiz, at, *, score=100):
    """`user` passed `quiz` at `at`, as grading records it."""
    record_result(user=user, lesson=quiz.lesson, score=score, passed=True, at=at, attempts_left=2)


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3)
