"""When a course may be published: every lesson has a quiz with enough approved
questions for one attempt. Publishing a course publishes its lessons."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from learning.models import Lesson
from quizzes.models import QuestionStatus


@dataclass(frozen=True)
class Shortfall:
    lesson: Lesson
    approved: int
    needed: int
    drafts: int

    def __str__(self):
        if self.needed == 0:
            return f"Lesson {self.lesson.position} ('{self.lesson.title}') has no quiz."
        return (
            f"Lesson {self.lesson.position} ('{self.lesson.title}') has {self.approved} "
            f"approved question{'s' if self.approved != 1 else ''}; one attempt needs "
            f"{self.needed} ({self.drafts} draft{'s' if self.drafts != 1 else ''} to review)."
        )


def _status(status):
    return Q(quiz__questions__status=status)


def readiness(courses):
    """Each course's lessons that fall short, by course pk, in one query."""
    lessons = (
        Lesson.objects.filter(course__in=courses)
        .select_related("quiz")
        .annotate(
            approved=Count(
                "quiz__questions", filter=Q(quiz__questions__status=QuestionStatus.APPROVED)
            ),
            drafts=Count("quiz__questions", filter=Q(quiz__questions__status=QuestionStatus.DRAFT)),
        )
        .order_by("course", "position")
    )
    short = {course.pk: [] for course in courses}
    for lesson in lessons:
        quiz = getattr(lesson, "quiz", None)
        if quiz is None:
            short[lesson.course_id].append(Shortfall(lesson, 0, 0, 0))
            continue
        needed = quiz.attempt_size(lesson.approved) or 1
        if not quiz.is_offered(lesson.approved):
            short[lesson.course_id].append(
                Shortfall(lesson, lesson.approved, needed, lesson.drafts)
            )
    return short


def shortfalls(course):
    return readiness([course])[course.pk]


def publish(course):
    """Publish the course and all its lessons, or say which lessons fall short and
    change nothing."""
    with transaction.atomic():
        missing = shortfalls(course)
        if missing or not course.lessons.exists():
            return missing or ["The course has no lessons."]
        course.lessons.update(published=True)
        course.published = True
        course.save(update_fields=["published", "updated_at"])
    return []
