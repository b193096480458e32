"""The database holds the cards' invariants, whatever writes them."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from review.models import Card, ReviewLog, Source, State
from review.scheduling import record_answers

from .conftest import quiz_ids


@pytest.fixture
def card(student, quiz, now):
    return record_answers(student, {quiz_ids(quiz)[0]: True}, now=now, source=Source.QUIZ)[
        quiz_ids(quiz)[0]
    ]


def copy_of(card, **changes):
    fields = {
        "user_id": card.user_id,
        "question_id": card.question_id,
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
        "last_rating": card.last_rating,
    }
    return Card(**{**fields, **changes})


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_second_card_for_the_same_learner_and_question_is_refused(card):
    refused(lambda: copy_of(card).save())


def test_a_card_for_another_question_is_fine(card, quiz):
    copy_of(card, question_id=quiz_ids(quiz)[1]).save()


@pytest.mark.parametrize(
    "changes",
    [
        {"state": 9},
        {"state": State.REVIEW, "step": 0},  # py-fsrs: no step once in review
        {"state": State.LEARNING, "step": None},
        {"stability": 0},
        {"difficulty": 11},
        {"last_rating": 5},
    ],
)
def test_an_impossible_memory_state_is_refused(card, quiz, changes):
    refused(lambda: copy_of(card, question_id=quiz_ids(quiz)[1], **changes).save())


def test_a_card_due_before_its_last_review_is_refused(card, quiz):
    refused(
        lambda: copy_of(
            card, question_id=quiz_ids(quiz)[1], due=card.last_review - timedelta(seconds=1)
        ).save()
    )


@pytest.mark.parametrize("changes", [{"rating": 0}, {"rating": 5}, {"source": "homework"}])
def test_a_log_with_an_impossible_rating_or_source_is_refused(card, now, changes):
    fields = {"card": card, "rating": 3, "reviewed_at": now, "source": "review", **changes}
    refused(lambda: ReviewLog.objects.create(**fields))
