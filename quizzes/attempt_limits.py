"""Keeping learners' "no attempts left" in step with a quiz's attempt limit and with
the extra attempts a teacher granted one student (AttemptAllowance)."""

from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from learning.models import LessonProgress

from .models import AttemptAllowance, Quiz

# A teacher can be generous, not unbounded: the column is a small integer.
MAX_EXTRA_ATTEMPTS = 100


class AllowanceRefused(ValueError):
    """More extra attempts than a student may hold; nothing is written."""


def extra_attempts(*, quiz, user):
    """The extra attempts granted to `user` at `quiz`, as an expression (0 when none).

    Either argument may be an OuterRef, so the same expression serves a query over
    quizzes (one student) and an update over progress rows (every student)."""
    granted = AttemptAllowance.objects.filter(quiz=quiz, user=user).values("extra_attempts")[:1]
    return Coalesce(Subquery(granted), Value(0))


def out_of_attempts(max_attempts, extra=None):
    """The value of LessonProgress.out_of_attempts under this limit, as an expression;
    `extra` is the student's extra attempts (an expression, by default none)."""
    if max_attempts is None:
        return Value(False)
    allowed = Value(max_attempts) + (extra if extra is not None else Value(0))
    return Case(
        When(Q(passed_at__isnull=True, attempts_submitted__gte=allowed), then=Value(True)),
        default=Value(False),
    )


def _refresh(progress_rows, quiz):
    progress_rows.update(
        out_of_attempts=out_of_attempts(
            quiz.max_attempts, extra_attempts(quiz=quiz, user=OuterRef("user_id"))
        )
    )


@receiver(post_save, sender=Quiz)
def limit_changed(sender, instance, raw=False, **kwargs):
    # An editor who allows more attempts gives stuck learners their way back at once;
    # one who allows fewer still counts each student's extra attempts.
    if raw:
        return  # loaddata: the fixture's progress rows, if any, are as they were
    _refresh(LessonProgress.objects.filter(lesson_id=instance.lesson_id), instance)


def grant_extra_attempts(*, user, quiz, count):
    """Add `count` extra attempts to what `user` may take at `quiz`, and recompute their
    "no attempts left" at once, so the course page and the class grid unblock them.

    Returns the allowance, its `extra_attempts` read back from the database."""
    if not 1 <= count <= MAX_EXTRA_ATTEMPTS:
        raise AllowanceRefused(f"Grant from 1 to {MAX_EXTRA_ATTEMPTS} attempts.")
    with transaction.atomic():
        allowance, created = AttemptAllowance.objects.select_for_update().get_or_create(
            quiz=quiz, user=user, defaults={"extra_attempts": count}
        )
        if not created:
            if allowance.extra_attempts + count > MAX_EXTRA_ATTEMPTS:
                raise AllowanceRefused(
                    f"A student can hold at most {MAX_EXTRA_ATTEMPTS} extra attempts at a "
                    f"quiz; this one has {allowance.extra_attempts} already."
                )
            # F(): two teachers granting at once both count.
            AttemptAllowance.objects.filter(pk=allowance.pk).update(
                extra_attempts=F("extra_attempts") + count, updated_at=timezone.now()
            )
            allowance.refresh_from_db(fields=["extra_attempts", "updated_at"])
        _refresh(LessonProgress.objects.filter(user=user, lesson_id=quiz.lesson_id), quiz)
    return allowance
