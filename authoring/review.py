"""The editor's review queue: a lesson's drafted questions, best first, and the
decisions taken on them (approve or reject, one at a time or many at once)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q

from learning.models import Lesson
from quizzes.checks import hard_errors
from quizzes.models import Choice, Question, QuestionStatus, validate_choices

from .publishing import readiness

APPROVE, REJECT, LEAVE = "approve", "reject", "leave"


def queue(lesson):
    """The lesson's drafts: fresh ones by rank, then those the text no longer makes."""
    return list(
        Question.objects.filter(quiz__lesson=lesson, status=QuestionStatus.DRAFT)
        .select_related("draft_record")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
        .order_by("draft_record__stale", "draft_record__rank", "position")
    )


@dataclass
class LessonCounts:
    lesson: Lesson
    drafts: int
    approved: int
    stale: int
    short: object  # a Shortfall, or None when the quiz can be offered


def course_counts(course):
    """Per lesson: drafts left, approved, stale; and what still falls short (2 queries)."""
    lessons = (
        Lesson.objects.filter(course=course)
        .order_by("position")
        .annotate(
            drafts=Count("quiz__questions", filter=Q(quiz__questions__status=QuestionStatus.DRAFT)),
            approved=Count(
                "quiz__questions", filter=Q(quiz__questions__status=QuestionStatus.APPROVED)
            ),
            stale=Count(
                "quiz__questions",
                filter=Q(
                    quiz__questions__status=QuestionStatus.DRAFT,
                    quiz__questions__draft_record__stale=True,
                ),
            ),
        )
    )
    short = {s.lesson.pk: s for s in readiness([course])[course.pk]}
    return [
        LessonCounts(lesson, lesson.drafts, lesson.approved, lesson.stale, short.get(lesson.pk))
        for lesson in lessons
    ]


@dataclass
class Outcome:
    approved: int = 0
    rejected: int = 0
    refused: list = None  # (question, why) of approvals refused

    def __str__(self):
        done = f"{self.approved} approved, {self.rejected} rejected."
        if self.refused:
            done += f" {len(self.refused)} not approved: " + "; ".join(
                f"Q{question.position}: {why}" for question, why in self.refused
            )
        return done


def decide(lesson, decisions):
    """Apply {question pk: APPROVE | REJECT | LEAVE} to the lesson's drafts. A pk that
    is not a draft of this lesson is ignored; a draft with a hard error (duplicate or
    empty choices, "all of the above") is not approved."""
    outcome = Outcome(refused=[])
    with transaction.atomic():
        drafts = {
            q.pk: q
            for q in Question.objects.select_for_update()
            .filter(quiz__lesson=lesson, status=QuestionStatus.DRAFT, pk__in=list(decisions))
            .prefetch_related("choices")
        }
        approve, reject = [], []
        for pk, decision in decisions.items():
            question = drafts.get(pk)
            if question is None or decision == LEAVE:
                continue
            if decision == REJECT:
                reject.append(pk)
                continue
            choices = list(question.choices.all())
            # The rules the question admin's approve action keeps, the same functions.
            try:
                validate_choices(question.kind, [(c.text, c.is_correct) for c in choices])
                if errors := hard_errors([choice.text for choice in choices]):
                    raise ValidationError(errors)
            except ValidationError as exc:
                outcome.refused.append((question, exc.messages[0]))
                continue
            approve.append(pk)
        outcome.approved = Question.objects.filter(pk__in=approve).update(
            status=QuestionStatus.APPROVED
        )
        outcome.rejected = Question.objects.filter(pk__in=reject).update(
            status=QuestionStatus.REJECTED
        )
    return outcome


def clean_drafts(drafts):
    """The drafts with no check warnings: what 'approve all without warnings' takes."""
    return [
        q for q in drafts if not getattr(q, "draft_record", None) or not q.draft_record.warnings
    ]
