"""Every graded answer feeds py-fsrs: misses come back soon, right answers push out."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import override_settings

from review.models import Card, Rating, ReviewLog, Source, State
from review.scheduling import record_answers, scheduler

from .conftest import quiz_ids


def test_fuzzing_is_off_in_tests_and_on_by_setting():
    assert scheduler().enable_fuzzing is False
    with override_settings(REVIEW_FUZZING=True):
        assert scheduler().enable_fuzzing is True


def test_a_miss_comes_due_again_within_a_day(student, quiz, now):
    qid = quiz_ids(quiz)[0]

    record_answers(student, {qid: False}, now=now, source=Source.QUIZ)

    card = Card.objects.get(user=student, question_id=qid)
    assert card.state == State.LEARNING
    assert card.last_rating == Rating.AGAIN
    assert now < card.due <= now + timedelta(days=1)


def test_a_miss_on_a_card_in_review_comes_due_again_within_a_day(student, quiz, now):
    qid = quiz_ids(quiz)[0]
    record_answers(student, {qid: True}, now=now, source=Source.QUIZ)
    later = Card.objects.get(question_id=qid).due

    record_answers(student, {qid: False}, now=later, source=Source.REVIEW)

    card = Card.objects.get(question_id=qid)
    assert card.state == State.RELEARNING
    assert later < card.due <= later + timedelta(days=1)


def test_a_run_of_right_answers_pushes_the_due_date_out(student, quiz, now):
    qid = quiz_ids(quiz)[0]
    intervals, at = [], now
    for _ in range(4):  # the fifth would reach the one-year cap
        (card,) = record_answers(student, {qid: True}, now=at, source=Source.REVIEW).values()
        intervals.append(card.due - at)
        at = card.due  # answered right as soon as it is due

    assert intervals[0] >= timedelta(days=1)
    assert all(later > earlier for earlier, later in zip(intervals, intervals[1:], strict=False))
    assert Card.objects.get(question_id=qid).state == State.REVIEW


def test_the_first_answer_creates_a_card_and_each_answer_a_log(student, quiz, now):
    first, second, third = quiz_ids(quiz)

    record_answers(student, {first: True, second: False}, now=now, source=Source.QUIZ)
    record_answers(
        student,
        {second: True, third: True},
        now=now + timedelta(hours=1),
        source=Source.PRACTICE,
        durations={second: 12_000},
    )

    assert Card.objects.filter(user=student).count() == 3
    logs = ReviewLog.objects.filter(card__user=student).order_by("reviewed_at", "card__question")
    assert [(log.card.question_id, log.rating, log.source, log.duration_ms) for log in logs] == [
        (first, Rating.GOOD, "quiz", None),
        (second, Rating.AGAIN, "quiz", None),
        (second, Rating.HARD, "practice", 12_000),
        (third, Rating.GOOD, "practice", None),
    ]


def test_cards_are_one_per_learner(student, other_student, quiz, now):
    qid = quiz_ids(quiz)[0]
    record_answers(student, {qid: True}, now=now, source=Source.QUIZ)
    record_answers(other_student, {qid: False}, now=now, source=Source.QUIZ)

    assert Card.objects.get(user=student).last_rating == Rating.GOOD
    assert Card.objects.get(user=other_student).last_rating == Rating.AGAIN


def test_dates_are_stored_and_read_back_in_utc(student, quiz):
    qid = quiz_ids(quiz)[0]
    paris = timezone(timedelta(hours=1))
    at = datetime(2025, 3, 3, 10, 0, tzinfo=paris)

    record_answers(student, {qid: True}, now=at, source=Source.QUIZ)

    card = Card.objects.get(question_id=qid)
    assert card.last_review == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert card.to_fsrs().due.tzinfo is UTC  # what py-fsrs insists on


def test_a_naive_time_is_refused(student, quiz):
    with pytest.raises(ValueError, match="aware"):
        record_answers(student, {quiz_ids(quiz)[0]: True}, now=datetime(2025, 3, 3), source="quiz")
    assert not Card.objects.exists()


def test_an_unknown_source_is_refused(student, quiz, now):
    with pytest.raises(ValueError):
        record_answers(student, {quiz_ids(quiz)[0]: True}, now=now, source="homework")
    assert not Card.objects.exists()


def test_an_answer_older_than_the_last_review_never_moves_the_card_back(student, quiz, now):
    qid = quiz_ids(quiz)[0]
    record_answers(student, {qid: True}, now=now, source=Source.REVIEW)

    record_answers(student, {qid: False}, now=now - timedelta(hours=2), source=Source.QUIZ)

    card = Card.objects.get(question_id=qid)
    assert card.last_review == now
    assert card.due > now
    assert list(card.logs.values_list("reviewed_at", flat=True)) == [now, now]


def test_nothing_to_record_makes_no_query(student, django_assert_num_queries, now):
    with django_assert_num_queries(0):
        assert record_answers(student, {}, now=now, source=Source.QUIZ) == {}
