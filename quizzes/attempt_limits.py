"""Keeping learners' "no attempts left" in step with a quiz's attempt limit."""

from django.db.models import Case, Q, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver

from learning.models import LessonProgress

from .models import Quiz


def out_of_attempts(max_attempts):
    """The value of LessonProgress.out_of_attempts under this limit, as an expression."""
    if max_attempts is None:
        return Value(False)
    return Case(
        When(Q(passed_at__isnull=True, attempts_submitted__gte=max_attempts), then=Value(True)),
        default=Value(False),
    )


@receiver(post_save, sender=Quiz)
def limit_changed(sender, instance, raw=False, **kwargs):
    # An editor who allows more attempts gives stuck learners their way back at once.
    if raw:
        return  # loaddata: the fixture's progress rows, if any, are as they were
    LessonProgress.objects.filter(lesson_id=instance.lesson_id).update(
        out_of_attempts=out_of_attempts(instance.max_attempts)
    )
