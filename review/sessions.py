"""A review session, and practice: which card comes next, what its page may show, and
how an answer to it is checked and recorded.

A sitting is planned when it starts: review takes up to SESSION_SIZE of the cards due
now, mixed across courses (scheduling.due_cards); practice takes a lesson's missed
cards, least recently seen first. The plan travels with the pages, signed (a `Sitting`
in the URL, a `Step` in the answer form), so the server keeps no state between
questions and no page writes the session: a tampered token is refused, and an answer
sent twice (a reload, another tab) is refused because the card has changed since.

The question page shows the prompt and the choices only; the key, the explanation and
the choices' feedback come on the feedback page, after the answer is recorded.
"""

import random
from dataclasses import asdict, dataclass, replace

from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery

from quizzes.grading import AnswerRejected, is_right, parse_answers
from quizzes.models import QuestionKind

from .models import Rating, ReviewLog, Source
from .scheduling import LONG_FIELDS, due_cards, record_answers, reviewable, utc

SESSION_SIZE = 10
SALT = "review.sitting"


class StaleAnswer(AnswerRejected):
    """The card changed after its page was shown: this answer was sent before."""


@dataclass(frozen=True)
class Sitting:
    """One review session or practice round: the cards still to come, and the score."""

    source: str  # Source.REVIEW or Source.PRACTICE
    plan: tuple = ()  # card ids still to come, in order
    done: int = 0  # answered so far
    right: int = 0  # of which right
    lesson: int | None = None  # practice's lesson

    @property
    def is_practice(self):
        return self.source == Source.PRACTICE

    @property
    def total(self):
        return self.done + len(self.plan)

    def sign(self):
        return signing.dumps(asdict(self), salt=SALT, compress=True)

    def after(self, card_id, *, right):
        """The sitting once `card_id` is answered."""
        plan = tuple(pk for pk in self.plan if pk != card_id)
        return replace(self, plan=plan, done=self.done + 1, right=self.right + bool(right))


@dataclass(frozen=True)
class Step:
    """A question as its page showed it: the card, its state then (`version`, the last
    review in microseconds) and when it was shown (milliseconds since the epoch)."""

    sitting: Sitting
    card: int
    version: int
    shown_at: int

    def sign(self):
        # JSON: the plan's tuple travels as a list.
        return signing.dumps(asdict(self), salt=SALT, compress=True)


def _sitting(data):
    if not isinstance(data, dict) or data.get("source") not in (Source.REVIEW, Source.PRACTICE):
        raise ValueError("not a sitting")
    plan, lesson = data.get("plan"), data.get("lesson")
    numbers = [data.get("done"), data.get("right"), *plan] if isinstance(plan, list) else None
    if numbers is None or not all(type(n) is int and n >= 0 for n in numbers):
        raise ValueError("not a sitting")
    if lesson is not None and type(lesson) is not int:
        raise ValueError("not a sitting")
    return Sitting(data["source"], tuple(plan), data["done"], data["right"], lesson)


BAD_TOKEN = "This review page is out of date or was changed: start the review again."


def read_sitting(token):
    try:
        return _sitting(signing.loads(token, salt=SALT))
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise AnswerRejected(BAD_TOKEN) from None


def read_step(token):
    try:
        data = signing.loads(token, salt=SALT)
        numbers = [data["card"], data["version"], data["shown_at"]]
        if not all(type(n) is int for n in numbers):
            raise ValueError("not a step")
        return Step(_sitting(data["sitting"]), *numbers)
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise AnswerRejected(BAD_TOKEN) from None


def micros(moment):
    return round(utc(moment).timestamp() * 1_000_000)


def millis(moment):
    return round(utc(moment).timestamp() * 1000)


# ---------------------------------------------------------------- starting


def start_review(user, *, now):
    """(sitting, its first card or None): a review session of the cards due at `now`,
    in one query."""
    cards = due_cards(user, now=now, limit=SESSION_SIZE)
    return Sitting(Source.REVIEW, tuple(card.pk for card in cards)), next(iter(cards), None)


def missed(cards):
    """Cards ever answered wrong (rated Again), from a quiz, a review or practice."""
    again = ReviewLog.objects.filter(card=OuterRef("pk"), rating=Rating.AGAIN)
    return cards.filter(Exists(again))


def practice_cards(user, lesson, *, everything=False):
    """The lesson's cards practice may show (all, or the missed ones), least recently
    seen first."""
    cards = reviewable(user).filter(question__quiz__lesson=lesson)
    if not everything:
        cards = missed(cards)
    return cards.order_by("last_review", "pk")


def start_practice(user, lesson, *, everything=False):
    """A practice round of the lesson's missed questions (or of all, `everything`), at
    most SESSION_SIZE: one query."""
    ids = practice_cards(user, lesson, everything=everything).values_list("pk", flat=True)
    return Sitting(Source.PRACTICE, tuple(ids[:SESSION_SIZE]), lesson=lesson.pk)


# ---------------------------------------------------------------- the next question


def next_card(user, sitting, *, now):
    """The first card of the plan that may still be shown (in review: still due), with
    its question, quiz, lesson and course; None when the sitting is over. One query."""
    if not sitting.plan:
        return None
    cards = reviewable(user).filter(pk__in=sitting.plan)
    if not sitting.is_practice:
        cards = cards.filter(due__lte=now)
    found = {
        card.pk: card
        for card in cards.select_related("question__quiz__lesson__course").defer(*LONG_FIELDS)
    }
    return next((found[pk] for pk in sitting.plan if pk in found), None)


def shown_choices(card, choices, version):
    """The choices in the order the page shows them: the quiz's shuffle, seeded by the
    card and its state when shown (`version`), so a reload and the feedback page keep
    the order, and the next review of the card has a new one."""
    choices = list(choices)
    if card.question.quiz.shuffle_choices:
        random.Random(f"{card.pk}:{version}").shuffle(choices)
    return choices


def step_for(sitting, card, *, now):
    return Step(sitting, card.pk, micros(card.last_review), millis(now))


# ---------------------------------------------------------------- answering


@dataclass(frozen=True)
class Answered:
    log: ReviewLog
    right: bool
    sitting: Sitting  # after this answer


def answer(user, step, post, *, now):
    """Check and record the answer `post` (the question form) to `step`'s card.

    Refused, with nothing written: a form naming another question or choice, two
    choices for a single answer, no choice at all (AnswerRejected); a card answered
    since its page was shown, or no longer in review (StaleAnswer)."""
    with transaction.atomic():
        card = (
            reviewable(user)
            .select_for_update(of=("self",))
            .select_related("question")
            .filter(pk=step.card)
            .first()
        )
        if card is None:
            raise StaleAnswer("This question is no longer in your review.")
        if micros(card.last_review) != step.version:
            raise StaleAnswer("You have answered this question already.")
        question = card.question
        choices = list(question.choices.all())
        paper = {
            "questions": [
                {
                    "id": question.pk,
                    "kind": question.kind,
                    "choices": [{"id": choice.pk} for choice in choices],
                }
            ]
        }
        chosen = parse_answers(paper, post).get(question.pk)
        if not chosen:
            raise AnswerRejected(
                "Choose all the answers that apply, then check."
                if question.kind == QuestionKind.MULTIPLE
                else "Choose an answer, then check it."
            )
        right = is_right(question.kind, chosen, [c.pk for c in choices if c.is_correct])
        record_answers(
            user,
            {question.pk: right},
            now=now,
            source=step.sitting.source,
            durations={question.pk: millis(now) - step.shown_at},
            selected={question.pk: chosen},
        )
        log = ReviewLog.objects.filter(card=card).latest("reviewed_at", "pk")
    return Answered(log, right, step.sitting.after(card.pk, right=right))


def answered_log(user, pk):
    """`user`'s review or practice answer `pk`, with its question, quiz, lesson, course
    and card, and `shown_version`: the card's state when the question was shown (its
    review before this one). None when it is not theirs. One query."""
    before = ReviewLog.objects.filter(card=OuterRef("card"), pk__lt=OuterRef("pk")).order_by(
        "-reviewed_at", "-pk"
    )
    log = (
        ReviewLog.objects.filter(
            pk=pk, card__user=user, source__in=[Source.REVIEW, Source.PRACTICE]
        )
        .select_related("card__question__quiz__lesson__course")
        .defer(*(f"card__{name}" for name in LONG_FIELDS))
        .annotate(shown_at=Subquery(before.values("reviewed_at")[:1]))
        .first()
    )
    if log is not None:
        log.shown_version = micros(log.shown_at) if log.shown_at else None
    return log
