"""Mastery of a lesson: what its quiz showed, and what memory predicts now.

The levels, from the learner's progress in the lesson (learning.LessonProgress) and
their cards of its approved questions:

- not started: no graded answer in the lesson yet;
- attempted: answered, quiz not passed yet;
- familiar: quiz passed, some of its questions still being (re)learned (a card in
  learning or relearning: last missed, or right only once since), or no cards yet;
- proficient: quiz passed and every card in review (each question remembered);
- mastered: quiz passed and every card mature: in review with a stability of at least
  MATURE_STABILITY_DAYS (Anki's "mature": three weeks before recall falls to 90%);
- needs review: a passed lesson whose cards' mean predicted recall is now below
  RECALL_FLOOR. It was learned and is fading: a mastered lesson left alone decays to
  this (py-fsrs asks for a review when a card's recall reaches 90%; 70% is well past
  due). Reviewing brings it back up.

`lesson_mastery` serves one learner's pages in at most two queries, with py-fsrs's
own retrievability. `mastery_grid` serves a class: the same levels from per-learner,
per-lesson aggregates that the database computes (review/recall.py has the formula).
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import product

from django.db import models
from django.db.models import Avg, Count, F, Q

from learning.models import LessonProgress
from quizzes.models import QuestionStatus

from .models import Card, State
from .recall import predicted_recall, recall_expression

RECALL_FLOOR = 0.7
MATURE_STABILITY_DAYS = 21


class Level(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ATTEMPTED = "attempted", "Attempted"
    FAMILIAR = "familiar", "Familiar"
    PROFICIENT = "proficient", "Proficient"
    MASTERED = "mastered", "Mastered"
    NEEDS_REVIEW = "needs_review", "Needs review"


@dataclass(frozen=True)
class Mastery:
    level: Level
    cards: int = 0  # cards of the lesson's approved questions
    due: int = 0  # of which due now
    recall: float | None = None  # their mean predicted recall now, None without cards

    @property
    def label(self):
        return self.level.label


def level_for(*, attempted, passed, cards, in_review, mature, recall):
    """The level from plain facts: whether the quiz was attempted and passed, how many
    cards the lesson has, how many are in review and how many mature, and their mean
    predicted recall (None without cards)."""
    if not (attempted or cards):
        return Level.NOT_STARTED
    if not passed:
        return Level.ATTEMPTED
    if recall is not None and recall < RECALL_FLOOR:
        return Level.NEEDS_REVIEW
    if cards and mature == cards:
        return Level.MASTERED
    if cards and in_review == cards:
        return Level.PROFICIENT
    return Level.FAMILIAR


def _mastery(*, attempted, passed, cards=0, in_review=0, mature=0, due=0, recall=None):
    level = level_for(
        attempted=attempted,
        passed=passed,
        cards=cards,
        in_review=in_review,
        mature=mature,
        recall=recall,
    )
    return Mastery(level, cards=cards, due=due, recall=recall)


def _pks(objects):
    return [getattr(obj, "pk", obj) for obj in objects]


def _cards(cards, lesson_ids):
    """The cards that speak for a lesson: those of its approved questions."""
    return cards.filter(
        question__quiz__lesson__in=lesson_ids, question__status=QuestionStatus.APPROVED
    )


def _is_mature(card):
    return card.state == State.REVIEW and card.stability >= MATURE_STABILITY_DAYS


def lesson_mastery(user, lessons, *, now, progress=None):
    """{lesson pk: Mastery} of one learner in `lessons` (Lessons or pks).

    `progress` is {lesson pk: LessonProgress} when the page has read it already
    (learning.progress.course_progress has); otherwise it is read here. Two queries at
    most, whatever the number of lessons and cards; none for a visitor."""
    ids = _pks(lessons)
    if not getattr(user, "is_authenticated", True) or not ids:
        return {pk: Mastery(Level.NOT_STARTED) for pk in ids}
    if progress is None:
        progress = {
            row.lesson_id: row for row in LessonProgress.objects.filter(user=user, lesson__in=ids)
        }
    by_lesson = defaultdict(list)
    for card in _cards(Card.objects.filter(user=user), ids).annotate(
        lesson_id=F("question__quiz__lesson_id")
    ):
        by_lesson[card.lesson_id].append(card)
    found = {}
    for pk in ids:
        row, cards = progress.get(pk), by_lesson.get(pk, [])
        recalls = [predicted_recall(card, now=now) for card in cards]
        found[pk] = _mastery(
            attempted=bool(row and row.attempts_submitted),
            passed=bool(row and row.passed_at),
            cards=len(cards),
            in_review=sum(card.state == State.REVIEW for card in cards),
            mature=sum(_is_mature(card) for card in cards),
            due=sum(card.due <= now for card in cards),
            recall=sum(recalls) / len(recalls) if recalls else None,
        )
    return found


def mastery_grid(users, lessons, *, now):
    """{(user pk, lesson pk): Mastery} for every pair of `users` and `lessons` (objects
    or pks): two queries whatever the class's size, the cards aggregated by the database
    into one row per learner and lesson, however many cards."""
    user_ids, lesson_ids = _pks(users), _pks(lessons)
    progress = {
        (user_id, lesson_id): (bool(attempts), passed_at is not None)
        for user_id, lesson_id, attempts, passed_at in LessonProgress.objects.filter(
            user__in=user_ids, lesson__in=lesson_ids
        ).values_list("user_id", "lesson_id", "attempts_submitted", "passed_at")
    }
    totals = {
        (user_id, lesson_id): facts
        for user_id, lesson_id, *facts in _cards(Card.objects.filter(user__in=user_ids), lesson_ids)
        .values("user_id", lesson_id=F("question__quiz__lesson_id"))
        .annotate(
            cards=Count("pk"),
            in_review=Count("pk", filter=Q(state=State.REVIEW)),
            mature=Count("pk", filter=Q(state=State.REVIEW, stability__gte=MATURE_STABILITY_DAYS)),
            due=Count("pk", filter=Q(due__lte=now)),
            recall=Avg(recall_expression(now)),
        )
        .order_by()
        .values_list("user_id", "lesson_id", "cards", "in_review", "mature", "due", "recall")
    }
    grid = {}
    for key in product(user_ids, lesson_ids):
        attempted, passed = progress.get(key, (False, False))
        if key in totals:
            cards, in_review, mature, due, recall = totals[key]
            grid[key] = _mastery(
                attempted=attempted,
                passed=passed,
                cards=cards,
                in_review=in_review,
                mature=mature,
                due=due,
                recall=recall,
            )
        else:
            grid[key] = _mastery(attempted=attempted, passed=passed)
    return grid
