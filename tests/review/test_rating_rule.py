"""Wrong is Again, right is Good; Hard after a miss, Easy when quick on a known card."""

from datetime import timedelta

import pytest

from review.models import Card, Rating, Source, State
from review.scheduling import EASY_WITHIN_MS, rating_for, record_answers

from .conftest import quiz_ids


def card(state, last_rating):
    return Card(state=state, last_rating=last_rating)


@pytest.mark.parametrize(
    ("is_right", "before", "duration_ms", "expected"),
    [
        (False, None, None, Rating.AGAIN),
        (False, card(State.REVIEW, Rating.GOOD), 1_000, Rating.AGAIN),
        (True, None, None, Rating.GOOD),
        (True, None, 1_000, Rating.GOOD),  # quick, but a first answer proves nothing yet
        (True, card(State.LEARNING, Rating.AGAIN), 1_000, Rating.HARD),
        (True, card(State.RELEARNING, Rating.AGAIN), None, Rating.HARD),
        (True, card(State.LEARNING, Rating.HARD), None, Rating.GOOD),
        (True, card(State.REVIEW, Rating.GOOD), EASY_WITHIN_MS - 1, Rating.EASY),
        (True, card(State.REVIEW, Rating.GOOD), EASY_WITHIN_MS, Rating.GOOD),
        (True, card(State.REVIEW, Rating.GOOD), None, Rating.GOOD),  # a quiz: not timed
        (True, card(State.RELEARNING, Rating.HARD), 1_000, Rating.GOOD),
    ],
)
def test_the_rating_rule(is_right, before, duration_ms, expected):
    assert rating_for(is_right, before, duration_ms) == expected


def test_right_after_a_miss_is_hard_and_the_next_right_graduates(student, quiz, now):
    qid = quiz_ids(quiz)[0]
    record_answers(student, {qid: False}, now=now, source=Source.QUIZ)
    at = now + timedelta(minutes=10)

    (card,) = record_answers(student, {qid: True}, now=at, source=Source.REVIEW).values()
    assert (card.last_rating, card.state) == (Rating.HARD, State.LEARNING)
    assert card.due <= at + timedelta(hours=1)  # still being learned: soon again

    (card,) = record_answers(student, {qid: True}, now=card.due, source=Source.REVIEW).values()
    assert (card.last_rating, card.state) == (Rating.GOOD, State.REVIEW)


def test_a_quick_right_answer_on_a_card_in_review_is_easy_and_waits_longer(
    student, other_student, quiz, now
):
    qid = quiz_ids(quiz)[0]
    due = {}
    for user, ms in [(student, 2_000), (other_student, 30_000)]:
        (card,) = record_answers(user, {qid: True}, now=now, source=Source.QUIZ).values()
        at = card.due
        (card,) = record_answers(
            user, {qid: True}, now=at, source=Source.REVIEW, durations={qid: ms}
        ).values()
        due[user.username] = card.due - at
        assert card.last_rating == (Rating.EASY if ms < EASY_WITHIN_MS else Rating.GOOD)

    assert due["alice"] > due["bob"]
