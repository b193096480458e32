"""Due dates: when a class should have finished a lesson.

A teacher sets them in their own time zone; students see them in theirs, on the
course and home pages (registered in teaching.apps through learning.extensions).
A student in several classes that date the same lesson sees the earliest date;
classes that are archived no longer set any.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.dateformat import format as date_format

from learning.models import LessonProgress

from .models import LessonDueDate

# A date without a time means "by the end of that day".
END_OF_DAY = time(23, 59)
# "due Friday" within the coming week; a date further away reads "due 12 Dec".
WEEKDAY_NAMES_WITHIN = 7  # days
# Far enough for any school year, near enough that no time zone overflows a datetime.
MAX_YEARS_AWAY = 5


def due_at_from(day, at=None, *, tz=None):
    """The moment meant by a day and an optional time of day, in `tz` (by default the
    current time zone: the viewer's)."""
    tz = tz or timezone.get_current_timezone()
    return timezone.make_aware(datetime.combine(day, at or END_OF_DAY), tz)


def date_in_range(day, *, today=None):
    today = today or timezone.localdate()
    years = timedelta(days=365 * MAX_YEARS_AWAY)
    return today - years <= day <= today + years


def class_due_dates(classroom):
    """{lesson id: due_at} of one class."""
    return dict(
        LessonDueDate.objects.filter(classroom=classroom).values_list("lesson_id", "due_at")
    )


@dataclass(frozen=True)
class DueDateChanges:
    set: int
    cleared: int

    def __bool__(self):
        return bool(self.set or self.cleared)


@transaction.atomic
def set_due_dates(*, classroom, due_dates):
    """Set or clear one class's due dates: `due_dates` maps lessons (or their ids) to
    an aware datetime, or to None to remove the date. Lessons not named are left as
    they are. Returns how many dates were set (new or moved) and cleared."""
    wanted = {getattr(lesson, "pk", lesson): due for lesson, due in due_dates.items()}
    current = class_due_dates(classroom)
    cleared = [pk for pk, due in wanted.items() if due is None and pk in current]
    changed = [
        LessonDueDate(classroom=classroom, lesson_id=pk, due_at=due)
        for pk, due in wanted.items()
        if due is not None and current.get(pk) != due
    ]
    LessonDueDate.objects.filter(classroom=classroom, lesson_id__in=cleared).delete()
    # One statement for new and moved dates; a second teacher saving at the same
    # moment updates the row rather than failing on the unique constraint.
    LessonDueDate.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["classroom", "lesson"],
        update_fields=["due_at"],
    )
    return DueDateChanges(set=len(changed), cleared=len(cleared))


def due_label(due_at, *, overdue, now=None):
    """A due date for people, in the current time zone: "overdue", "due today", "due
    tomorrow", "due Friday" within the coming week, else "due 12 Dec" (with the year
    when it is not this one). A time other than the end of the day is added."""
    if overdue:
        return "overdue"
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(due_at)
    days = (local.date() - now.date()).days
    if days == 0:
        when = "today"
    elif days == 1:
        when = "tomorrow"
    elif 1 < days < WEEKDAY_NAMES_WITHIN:
        when = date_format(local, "l")
    elif local.year == now.year:
        when = date_format(local, "j M")
    else:
        when = date_format(local, "j M Y")
    if local.time().replace(second=0, microsecond=0) != END_OF_DAY:
        when += date_format(local, ", H:i")
    return f"due {when}"


@dataclass(frozen=True)
class Due:
    """When one student should finish one lesson, as learning's pages show it."""

    due_at: datetime
    overdue: bool
    label: str


def student_due_dates(user, lessons, *, now=None):
    """{lesson id: Due} for the lessons among `lessons` that a class of `user` has
    dated and that they have not passed yet: the earliest date of their active
    classes. One query."""
    ids = [getattr(lesson, "pk", lesson) for lesson in lessons]
    if not user.is_authenticated or not ids:
        return {}
    now = now or timezone.now()
    passed = LessonProgress.objects.filter(
        user=user, lesson=OuterRef("lesson_id"), passed_at__isnull=False
    )
    rows = (
        LessonDueDate.objects.filter(
            classroom__enrollments__student=user,
            classroom__archived_at__isnull=True,
            lesson_id__in=ids,
        )
        .filter(~Exists(passed))
        .values("lesson_id")
        .annotate(first=Min("due_at"))
        .values_list("lesson_id", "first")
        .order_by()
    )
    return {
        pk: Due(due_at, due_at < now, due_label(due_at, overdue=due_at < now, now=now))
        for pk, due_at in rows
    }


def lesson_due_dates(request, lessons):
    """The hook learning.extensions calls for the course and home pages."""
    return student_due_dates(request.user, lessons)
