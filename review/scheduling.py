"""Spaced review with FSRS (py-fsrs): how a graded answer rates a card, and which cards
are due. py-fsrs does the scheduling; this module only feeds it.

The rating of a graded answer:

- wrong: Again;
- right, when this card's previous answer was wrong: Hard (just relearned, so it comes
  back sooner than a card known all along);
- right within EASY_WITHIN_MS, on a card already in review and not missed last time:
  Easy. Only timed answers (review, practice) can be Easy: a quiz does not time its
  questions;
- right otherwise: Good.

The scheduler: py-fsrs's default weights and 90% desired retention; one learning step and
one relearning step of ten minutes (a miss comes back in the same sitting; a first answer
right graduates at once, the lesson and its quiz having been the first study); reviews at
most a year apart. Fuzzing follows settings.REVIEW_FUZZING (off in tests).

Time is passed in (`now`, aware): the callers pass django.utils.timezone.now(). py-fsrs
requires datetimes in UTC with datetime.timezone.utc; `utc` converts at the boundary.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import fsrs
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from learning.models import LessonProgress
from quizzes.models import RevealAnswers

from . import due_counts
from .models import Card, Rating, ReviewLog, Source, State

EASY_WITHIN_MS = 8_000
# A duration past this is a tab left open, not thinking time.
MAX_DURATION_MS = 60 * 60 * 1000

LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
MAXIMUM_INTERVAL_DAYS = 365

CARD_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review", "last_rating"]
# Review lists show the question and link to its lesson: leave the long texts behind.
LONG_FIELDS = [
    "question__quiz__lesson__body",
    "question__quiz__lesson__body_html",
    "question__quiz__lesson__source_text",
    "question__quiz__lesson__course__source_text",
]


@cache
def _scheduler(fuzzing):
    return fsrs.Scheduler(
        desired_retention=0.9,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=fuzzing,
    )


def scheduler():
    """The one py-fsrs scheduler, with fuzzing as settings.REVIEW_FUZZING says now."""
    return _scheduler(getattr(settings, "REVIEW_FUZZING", True))


def utc(moment):
    """An aware datetime in py-fsrs's time zone (datetime.timezone.utc, no other UTC)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Review times must be aware datetimes, e.g. timezone.now().")
    return moment.astimezone(UTC)


def rating_for(is_right, card=None, duration_ms=None):
    """The rating of one graded answer; `card` is the question's card before it (None
    when this is the first answer), `duration_ms` the time taken when it was timed."""
    if not is_right:
        return Rating.AGAIN
    if card is not None and card.last_rating == Rating.AGAIN:
        return Rating.HARD
    quick = duration_ms is not None and duration_ms < EASY_WITHIN_MS
    if quick and card is not None and card.state == State.REVIEW:
        return Rating.EASY
    return Rating.GOOD


def _duration(value):
    if value is None or value < 0:
        return None
    return min(int(value), MAX_DURATION_MS)


def record_answers(user, results, *, now, source, durations=None, selected=None):
    """Feed graded answers to the scheduler: create or update `user`'s card of each
    question and log each answer.

    `results` is {question id: right?} (graded questions, which exist), `source` a
    Source, `durations` {question id: milliseconds taken} where known, `selected`
    {question id: [choice ids]} to keep in the log (review and practice). Four queries,
    whatever the number of questions: read the cards (locked on PostgreSQL), insert the
    new ones, update the others, insert the logs. It joins the caller's transaction, so
    a quiz submit that fails after grading loses no card update, nor keeps one.

    A card never goes back in time: an answer older than the card's last review (an
    attempt graded at a deadline that had passed) counts as made at that review.
    Returns {question id: card}.
    """
    if not results:
        return {}
    source = Source(source)
    durations, selected = durations or {}, selected or {}
    user_id = getattr(user, "pk", user)
    now = utc(now)
    schedule = scheduler()
    with transaction.atomic(savepoint=False):
        existing = {
            card.question_id: card
            for card in Card.objects.select_for_update().filter(
                user_id=user_id, question_id__in=list(results)
            )
        }
        new, changed, logs = [], [], []
        for question_id in sorted(results):
            card = existing.get(question_id)
            duration = _duration(durations.get(question_id))
            rating = rating_for(results[question_id], card, duration)
            if card is None:
                before, at = fsrs.Card(card_id=question_id, due=now), now
                card = Card(user_id=user_id, question_id=question_id)
                new.append(card)
            else:
                before = card.to_fsrs()
                at = max(now, before.last_review)
                changed.append(card)
            after, _log = schedule.review_card(
                before, fsrs.Rating(rating), review_datetime=at, review_duration=duration
            )
            card.take(after, rating)
            logs.append((card, rating, at, duration, selected.get(question_id, [])))
        Card.objects.bulk_create(new)
        Card.objects.bulk_update(changed, CARD_FIELDS)
        ReviewLog.objects.bulk_create(
            ReviewLog(
                card=card,
                rating=rating,
                reviewed_at=at,
                duration_ms=ms,
                source=source,
                selected=chosen,
            )
            for card, rating, at, ms, chosen in logs
        )
        due_counts.forget_due_summary(user_id)
    return {card.question_id: card for card, *_rest in logs}


# ---------------------------------------------------------------- what is due


def _quiz_key_shown():
    """Review shows the explanation after each answer, so a card is offered only once the
    quiz's result page shows the key too (quizzes.results.answers_revealed): review is
    never a way round a quiz's attempts. Where the stored progress cannot tell (a pass
    with every attempt used, under "only once no attempts are left") it waits."""
    progress = LessonProgress.objects.filter(
        user_id=OuterRef("user_id"), lesson_id=OuterRef("question__quiz__lesson_id")
    )
    passed = Exists(progress.filter(passed_at__isnull=False))
    none_left = Exists(progress.filter(out_of_attempts=True))
    policy = "question__quiz__reveal_answers"
    return (
        Q(**{policy: RevealAnswers.ALWAYS})
        | (Q(**{policy: RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT}) & (passed | none_left))
        | (Q(**{policy: RevealAnswers.ONCE_PASSED}) & passed)
        | (Q(**{policy: RevealAnswers.NO_ATTEMPTS_LEFT}) & none_left)
    )


def reviewable(user):
    """`user`'s cards that review may show: approved questions of published lessons,
    whose quiz key the student may see. Practice draws from these too."""
    return Card.objects.filter(user=user).of_published_questions().filter(_quiz_key_shown())


def due_cards(user, *, now, limit=10):
    """Up to `limit` of `user`'s cards due at `now`, across all courses, mixed: the most
    overdue card of each lesson, then the next of each, and so on (within a round, the
    most overdue first), so a session never works through one lesson first.

    One query; each card comes with its question, quiz, lesson and course."""
    turn = Window(
        RowNumber(),
        partition_by=[F("question__quiz__lesson_id")],
        order_by=[F("due").asc(), F("pk").asc()],
    )
    return list(
        reviewable(user)
        .filter(due__lte=now)
        .select_related("question__quiz__lesson__course")
        .defer(*LONG_FIELDS)
        .annotate(turn=turn)
        .order_by("turn", "due", "pk")[:limit]
    )


@dataclass(frozen=True)
class DueSummary:
    count: int  # cards due now
    next_due: datetime | None  # the earliest due time after now, if any


def due_summary(user, *, now):
    """How many of `user`'s cards are due at `now` and when the next one falls due: one
    query, for the navigation's count and the empty review page alike."""
    totals = reviewable(user).aggregate(
        count=Count("pk", filter=Q(due__lte=now)), next_due=Min("due", filter=Q(due__gt=now))
    )
    return DueSummary(totals["count"], totals["next_due"])


def due_count(user, *, now):
    return due_summary(user, now=now).count


def nav_due_summary(user, *, now):
    """due_summary for the navigation: from the cache while it holds (due_counts), else
    counted (one query) and kept."""
    found = due_counts.cached(user.pk, now)
    if found is not None:
        return DueSummary(*found)
    summary = due_summary(user, now=now)
    due_counts.remember(user.pk, summary.count, summary.next_due)
    return summary


def next_due(user, *, now):
    """When `user`'s next card falls due after `now`; None when none will."""
    return due_summary(user, now=now).next_due


def record_quiz_answers(*, attempt, results, now):
    """The quiz submit's hook (quizzes.extensions.after_grading): every graded answer
    of the attempt updates its card, in the submit's own transaction."""
    record_answers(attempt.user_id, results, now=now, source="quiz")
