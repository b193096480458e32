"""Mastery on learning's and quizzes' pages: a badge per lesson, and where to practise.

Registered in review.apps through learning.extensions.lesson_mastery, so the course and
progress pages show it without naming this room.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .mastery import Level, lesson_mastery

# Bootstrap badge classes with dark-on-light or light-on-dark text of good contrast.
BADGE_CLASSES = {
    Level.NOT_STARTED: "bg-body text-body-secondary border",
    Level.ATTEMPTED: "text-bg-light border",
    Level.FAMILIAR: "text-bg-info",
    Level.PROFICIENT: "bg-success-subtle text-success-emphasis border border-success",
    Level.MASTERED: "text-bg-success",
    Level.NEEDS_REVIEW: "text-bg-warning",
}
# The quiz is passed: its questions are worth practising.
PRACTISED = {Level.FAMILIAR, Level.PROFICIENT, Level.MASTERED, Level.NEEDS_REVIEW}


@dataclass(frozen=True)
class MasteryBadge:
    level: str
    label: str
    badge_class: str
    practice_url: str = ""


def practice_url(lesson, mastery):
    # Practice serves published lessons only: a staff member's draft preview has no link.
    if mastery.level not in PRACTISED or not mastery.cards:
        return ""
    if not (lesson.published and lesson.course.published):
        return ""
    return reverse("review:practice", args=[lesson.course.slug, lesson.slug])


def badge(lesson, mastery):
    return MasteryBadge(
        level=mastery.level.value,
        label=mastery.label,
        badge_class=BADGE_CLASSES[mastery.level],
        practice_url=practice_url(lesson, mastery),
    )


def mastery_badges(request, lessons, progress):
    """The hook: {lesson pk: MasteryBadge} of the signed-in learner. `lessons` have their
    course loaded (learning.progress.course_progress shares it): the links cost no query.
    One query, for the cards, when the page passes its progress rows; two otherwise."""
    found = lesson_mastery(request.user, lessons, now=timezone.now(), progress=progress)
    return {lesson.pk: badge(lesson, found[lesson.pk]) for lesson in lessons}
