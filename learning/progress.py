"""A learner's progress through lessons and courses."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Lesson, LessonProgress, Status


def record_visit(user, lesson, *, now=None):
    """Remember that a signed-in learner read a lesson (first and latest visit)."""
    if not user.is_authenticated:
        return
    now = now or timezone.now()
    # Grading may have made the row before any visit: keep a first visit, else set it.
    updated = LessonProgress.objects.filter(user=user, lesson=lesson).update(
        first_viewed_at=Coalesce(F("first_viewed_at"), Value(now)),
        last_viewed_at=now,
        last_activity_at=now,
    )
    if not updated:
        LessonProgress.objects.get_or_create(
            user=user,
            lesson=lesson,
            defaults={"first_viewed_at": now, "last_viewed_at": now, "last_activity_at": now},
        )


def record_result(*, user, lesson, score, passed, at, attempts_left=None):
    """Fold one graded attempt into the learner's progress: best score, passed once,
    and whether no attempts are left (`attempts_left` 0) to pass with.

    One atomic UPDATE (no read, no row lock held across Python); the first
    result for a lesson never visited creates the row.
    """
    changes = {
        "attempts_submitted": F("attempts_submitted") + 1,
        "best_score": Case(
            When(best_score__gte=score, then=F("best_score")),
            default=Value(score, output_field=DecimalField(max_digits=5, decimal_places=2)),
        ),
        "last_activity_at": Value(at),
        # Only a learner who never passed can be out of attempts to pass with.
        "out_of_attempts": Case(
            When(passed_at__isnull=False, then=Value(False)),
            default=Value(attempts_left == 0 and not passed),
        ),
    }
    if passed:
        changes["passed_at"] = Coalesce(F("passed_at"), Value(at))
    user_id = getattr(user, "pk", user)
    rows = LessonProgress.objects.filter(user_id=user_id, lesson=lesson)
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint: a racing first visit may create the row
            LessonProgress.objects.create(
                user_id=user_id,
                lesson=lesson,
                attempts_submitted=1,
                best_score=score,
                passed_at=at if passed else None,
                last_activity_at=at,
                out_of_attempts=attempts_left == 0 and not passed,
            )
    except IntegrityError:
        rows.update(**changes)


@dataclass
class LessonRow:
    lesson: Lesson
    progress: LessonProgress | None

    @property
    def status(self):
        return self.progress.status if self.progress else Status.NOT_STARTED

    @property
    def best_score(self):
        return self.progress.best_score if self.progress else None

    @property
    def out_of_attempts(self):
        return bool(self.progress and self.progress.out_of_attempts)

    @property
    def can_continue(self):
        return self.status != Status.PASSED and not self.out_of_attempts


@dataclass
class CourseProgress:
    course: object
    rows: list

    @property
    def total(self):
        return len(self.rows)

    @property
    def passed(self):
        return sum(1 for row in self.rows if row.status == Status.PASSED)

    @property
    def percent(self):
        return round(100 * self.passed / self.total) if self.total else 0

    @property
    def next_lesson(self):
        """The first lesson not yet passed that still can be: where 'continue' leads."""
        return next((row.lesson for row in self.rows if row.can_continue), None)

    @property
    def started(self):
        return any(row.progress for row in self.rows)

    @property
    def last_activity(self):
        times = [row.progress.last_activity_at for row in self.rows if row.progress]
        return max((t for t in times if t), default=None)


# Lists of lessons show titles and links: leave the long texts in the database.
LONG_LESSON_FIELDS = ("body", "body_html", "key_points", "source_text")


def course_progress(user, courses, *, lessons=None):
    """Progress of one user in each course, in two queries however many lessons."""
    courses = list(courses)
    if lessons is None:
        lessons = (
            Lesson.objects.published()
            .filter(course__in=courses)
            .order_by("position")
            .defer(*LONG_LESSON_FIELDS)
        )
    by_lesson = {}
    if user.is_authenticated:
        by_lesson = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(user=user, lesson__in=[x.pk for x in lessons])
        }
    rows = {course.pk: [] for course in courses}
    by_course = {course.pk: course for course in courses}
    for lesson in lessons:
        # Lesson links need the course's slug: share the loaded course, not a query per row.
        lesson.course = by_course[lesson.course_id]
        rows[lesson.course_id].append(LessonRow(lesson, by_lesson.get(lesson.pk)))
    return [CourseProgress(course, rows[course.pk]) for course in courses]
