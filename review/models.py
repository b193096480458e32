"""A card per learner and question, holding its FSRS memory state, and a log of its reviews.

The state is kept in columns, not in py-fsrs's card dict as JSON: the teacher's
grid computes predicted recall from `stability` and `last_review` in the database
(review/recall.py), and the constraints below can hold each column's invariant.
Every card is born from a graded answer, so a card always has a memory state.
"""

from datetime import UTC

import fsrs
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from quizzes.models import Question, QuestionStatus


class State(models.IntegerChoices):
    # py-fsrs's own numbers (fsrs.State), so a card converts without a table.
    LEARNING = fsrs.State.Learning.value, "Learning"
    REVIEW = fsrs.State.Review.value, "Review"
    RELEARNING = fsrs.State.Relearning.value, "Relearning"


class Rating(models.IntegerChoices):
    AGAIN = fsrs.Rating.Again.value, "Again"
    HARD = fsrs.Rating.Hard.value, "Hard"
    GOOD = fsrs.Rating.Good.value, "Good"
    EASY = fsrs.Rating.Easy.value, "Easy"


class Source(models.TextChoices):
    QUIZ = "quiz", "Quiz"
    REVIEW = "review", "Review"
    PRACTICE = "practice", "Practice"


class CardQuerySet(models.QuerySet):
    def of_published_questions(self):
        """Cards a student may be shown: approved questions of published lessons."""
        return self.filter(
            question__status=QuestionStatus.APPROVED,
            question__quiz__lesson__published=True,
            question__quiz__lesson__course__published=True,
        )


class Card(models.Model):
    # Unique (user, question) and the (user, due) index both lead with user_id: no
    # separate index on it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_cards",
        db_index=False,
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField(choices=State.choices)
    step = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The (re)learning step; empty once in review."
    )
    stability = models.FloatField(help_text="Days until predicted recall falls to 90%.")
    difficulty = models.FloatField(help_text="From 1 (easy) to 10 (hard).")
    due = models.DateTimeField()
    last_review = models.DateTimeField()
    last_rating = models.PositiveSmallIntegerField(
        choices=Rating.choices, help_text="How the last answer was rated."
    )

    objects = CardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="card_unique_user_question"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="card_state_valid"),
            # py-fsrs: a card in review has no step, a (re)learning card has one.
            models.CheckConstraint(
                condition=Q(state=State.REVIEW, step__isnull=True)
                | Q(~Q(state=State.REVIEW), step__isnull=False),
                name="card_step_matches_state",
            ),
            models.CheckConstraint(condition=Q(stability__gt=0), name="card_stability_positive"),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=10), name="card_difficulty_1_10"
            ),
            models.CheckConstraint(
                condition=Q(last_rating__gte=1, last_rating__lte=4), name="card_last_rating_1_4"
            ),
            models.CheckConstraint(
                condition=Q(due__gte=F("last_review")), name="card_due_after_last_review"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "due"], name="card_user_due"),
            # Covers the class grid's recall of every card of a class (review/recall.py):
            # the cards' rows are never read for it.
            models.Index(
                fields=["user", "question", "last_review", "stability"], name="card_user_recall"
            ),
        ]

    def __str__(self):
        return f"{self.user} - Q{self.question_id} ({self.get_state_display()})"

    def to_fsrs(self):
        """This card as py-fsrs sees it (dates in UTC, as py-fsrs requires)."""
        return fsrs.Card(
            card_id=self.question_id,  # without one, py-fsrs sleeps a millisecond per card
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due.astimezone(UTC),
            last_review=self.last_review.astimezone(UTC),
        )

    def take(self, reviewed, rating):
        """Copy the state of `reviewed` (an fsrs.Card) and the `rating` that made it."""
        self.state = int(reviewed.state)
        self.step = reviewed.step
        self.stability = reviewed.stability
        self.difficulty = reviewed.difficulty
        self.due = reviewed.due
        self.last_review = reviewed.last_review
        self.last_rating = int(rating)


class ReviewLog(models.Model):
    """One graded answer to a card's question, from a quiz, a review or practice."""

    # The (card, reviewed_at) index leads with card_id: no separate index on it.
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs", db_index=False)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long the answer took, when known."
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    # What the learner chose (choice ids), for the feedback page after a review or
    # practice answer; a quiz answer keeps its choices in its attempt's Response.
    selected = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=4), name="reviewlog_rating_1_4"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="reviewlog_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["card", "reviewed_at"], name="reviewlog_card_time")]

    def __str__(self):
        return f"{self.card} {self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"
