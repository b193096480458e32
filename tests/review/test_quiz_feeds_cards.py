"""Every graded quiz answer feeds the scheduler, in the submit's own transaction."""

from datetime import timedelta

import pytest

from quizzes import extensions
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Attempt
from review.models import Card, ReviewLog
from tests.factories import make_quiz
from tests.teaching_data import answer_key, take_quiz


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3)


def test_a_submitted_quiz_makes_a_card_per_question(quiz, student):
    attempt = take_quiz(student, quiz, right=2)

    cards = Card.objects.filter(user=student).order_by("question__position")
    assert cards.count() == 3
    assert [card.last_rating for card in cards] == [3, 3, 1]  # Good, Good, Again
    logs = ReviewLog.objects.filter(card__user=student)
    assert set(logs.values_list("source", flat=True)) == {"quiz"}
    assert all(log.reviewed_at == attempt.submitted_at for log in logs)
    missed = cards.last()
    assert missed.due - attempt.submitted_at < timedelta(days=1)


def test_a_second_attempt_updates_the_same_cards(quiz, student):
    take_quiz(student, quiz, right=1)
    take_quiz(student, quiz, right=3)

    assert Card.objects.filter(user=student).count() == 3
    assert ReviewLog.objects.filter(card__user=student).count() == 6


def test_a_failure_after_grading_keeps_neither_grade_nor_cards(quiz, student):
    attempt = start_attempt(user=student, quiz=quiz)
    save_answers(
        attempt=attempt, answers={qid: right for qid, (right, _) in answer_key(quiz).items()}
    )

    def broken(**kwargs):
        raise RuntimeError("the disk filled up")

    extensions.after_grading.append(broken)
    try:
        with pytest.raises(RuntimeError):
            submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
    finally:
        extensions.after_grading.remove(broken)

    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
    assert not Card.objects.exists() and not ReviewLog.objects.exists()
    # Nothing the learner did is lost: the answers are there to submit again.
    assert submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk)).passed
    assert Card.objects.filter(user=student).count() == 3
