"""What a teacher sees of a class: per-student totals, the grid, column summaries.

Every figure is aggregated in the database; Python only arranges the rows.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, BooleanField, Case, CharField, Count, F, Max, Q, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.utils import timezone

from learning.models import Lesson, LessonProgress, Status
from learning.progress import LONG_LESSON_FIELDS

from .models import Enrollment

INACTIVE_AFTER = timedelta(days=7)

# The grid shows a student's full name when they gave one, else their username:
# sorting by name follows what the teacher reads.
DISPLAY_NAME = Lower(
    Coalesce(
        NullIf(Trim(Concat("student__first_name", Value(" "), "student__last_name")), Value("")),
        "student__username",
    )
)

SORTS = {
    "name": [DISPLAY_NAME.asc(), "student__username"],
    "progress": [F("passed").desc(), F("avg_best").desc(nulls_last=True), "student__username"],
    "activity": [F("last_activity").desc(nulls_last=True), "student__username"],
}


def class_lessons(classroom):
    return (
        Lesson.objects.published()
        .filter(course__classrooms=classroom)
        .select_related("course", "quiz")  # the grid links each column to its quiz's statistics
        # Columns need titles only: leave the lesson texts and the whole explainer behind.
        .defer(*LONG_LESSON_FIELDS, "course__source_text", "course__summary")
        .order_by("course__title", "course_id", "position")
    )


def _needs_attention(now):
    week_ago = now - INACTIVE_AFTER
    return (
        Q(failing__gt=0)
        | Q(last_activity__lt=week_ago)
        | Q(last_activity__isnull=True, joined_at__lt=week_ago)
    )


def student_rows(classrooms, *, now=None):
    """Enrollments annotated with each student's totals over the class's lessons.

    Annotations: passed, avg_best, last_activity, failing (lessons attempted
    and not passed) and needs_attention.
    """
    now = now or timezone.now()
    in_class = Q(student__lesson_progress__lesson__course__classrooms=F("classroom"))
    # The same lessons as the grid's columns: published, in a published course.
    in_class &= Q(student__lesson_progress__lesson__published=True)
    in_class &= Q(student__lesson_progress__lesson__course__published=True)
    progress = "student__lesson_progress"
    return (
        Enrollment.objects.filter(classroom__in=classrooms)
        .select_related("student")
        .annotate(
            passed=Count(
                progress, filter=in_class & Q(**{f"{progress}__passed_at__isnull": False})
            ),
            failing=Count(
                progress,
                filter=in_class
                & Q(
                    **{
                        f"{progress}__passed_at__isnull": True,
                        f"{progress}__attempts_submitted__gt": 0,
                    }
                ),
            ),
            avg_best=Avg(f"{progress}__best_score", filter=in_class),
            last_activity=Max(f"{progress}__last_activity_at", filter=in_class),
        )
        .annotate(
            needs_attention=Case(
                When(_needs_attention(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


@dataclass
class ClassSummary:
    classroom: object
    students: int
    lessons: int
    passed: int
    needs_attention: int

    @property
    def completion(self):
        possible = self.students * self.lessons
        return round(100 * self.passed / possible) if possible else 0


def class_summaries(classrooms, *, now=None):
    """Student count, average completion and students needing attention per class."""
    classrooms = list(classrooms)
    lesson_counts = dict(
        Lesson.objects.published()
        .filter(course__classrooms__in=classrooms)
        .values("course__classrooms")
        .annotate(n=Count("pk", distinct=True))
        .values_list("course__classrooms", "n")
    )
    totals = {c.pk: [0, 0, 0] for c in classrooms}
    for classroom_id, passed, attention in student_rows(classrooms, now=now).values_list(
        "classroom_id", "passed", "needs_attention"
    ):
        total = totals[classroom_id]
        total[0] += 1
        total[1] += passed
        total[2] += bool(attention)
    return [
        ClassSummary(
            c, totals[c.pk][0], lesson_counts.get(c.pk, 0), totals[c.pk][1], totals[c.pk][2]
        )
        for c in classrooms
    ]


@dataclass(frozen=True)
class Cell:
    """One student's status and best score on one lesson, as the grid shows it."""

    status: Status
    best_score: Decimal | None


# LessonProgress.status, worked out by the database: a grid of thousands of cells
# then needs no model instances.
PROGRESS_STATUS = Case(
    When(passed_at__isnull=False, then=Value(Status.PASSED.value)),
    When(attempts_submitted__gt=0, then=Value(Status.ATTEMPTED.value)),
    When(first_viewed_at__isnull=False, then=Value(Status.READ.value)),
    default=Value(Status.NOT_STARTED.value),
    output_field=CharField(),
)


def progress_cells(students, lessons):
    """{(user id, lesson id): Cell}; `students` is a list of ids or a queryset of ids."""
    rows = (
        LessonProgress.objects.filter(user_id__in=students, lesson__in=lessons)
        .annotate(cell_status=PROGRESS_STATUS)
        .values_list("user_id", "lesson_id", "cell_status", "best_score")
    )
    return {
        (user_id, lesson_id): Cell(Status(status), best)
        for user_id, lesson_id, status, best in rows
    }


@dataclass
class ColumnSummary:
    lesson: Lesson
    passed: int
    avg_best: float | None
    students: int

    @property
    def completion(self):
        return round(100 * self.passed / self.students) if self.students else 0


def column_summaries(classroom, lessons, student_count):
    stats = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(
            user__enrollments__classroom=classroom, lesson__in=lessons
        )
        .values("lesson_id")
        .annotate(passed=Count("pk", filter=Q(passed_at__isnull=False)), avg_best=Avg("best_score"))
    }
    return [
        ColumnSummary(
            lesson,
            stats.get(lesson.pk, {}).get("passed", 0),
            stats.get(lesson.pk, {}).get("avg_best"),
            student_count,
        )
        for lesson in lessons
    ]
