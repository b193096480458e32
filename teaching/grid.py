"""What a teacher sees of a class: per-student totals, the grid, column summaries.

Every figure is aggregated in the database; Python only arranges the rows.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf, Round, Trim
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from learning.models import Lesson, LessonProgress
from learning.progress import LONG_LESSON_FIELDS
from learning.templatetags.learning_tags import percent
from quizzes.models import Attempt, AttemptAllowance

from .models import Enrollment, LessonDueDate

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
    """The class's columns: published lessons of its courses, each with its quiz and
    the class's due date (`class_due_at`, None when it has none)."""
    due = LessonDueDate.objects.filter(classroom=classroom, lesson=OuterRef("pk"))
    return (
        Lesson.objects.published()
        .filter(course__classrooms=classroom)
        .select_related("course", "quiz")  # the grid links each column to its quiz's statistics
        # Columns need titles only: leave the lesson texts and the whole explainer behind.
        .defer(*LONG_LESSON_FIELDS, "course__source_text", "course__summary")
        .annotate(class_due_at=Subquery(due.values("due_at")[:1]))
        .order_by("course__title", "course_id", "position")
    )


def due_dates_of(lessons):
    """{lesson id: due_at} of lessons from class_lessons that the class has dated."""
    return {lesson.pk: lesson.class_due_at for lesson in lessons if lesson.class_due_at}


def _needs_attention(now):
    week_ago = now - INACTIVE_AFTER
    return (
        Q(failing__gt=0)
        | Q(last_activity__lt=week_ago)
        | Q(last_activity__isnull=True, joined_at__lt=week_ago)
    )


def student_rows(classrooms, *, now=None, lessons=None):
    """Enrollments annotated with each student's totals over the class's lessons.

    Annotations: passed, avg_best, last_activity, failing (lessons attempted
    and not passed) and needs_attention. `lessons`, the columns of a single class
    when the caller has them, lets the join itself pick the rows to count: a
    quarter faster on a class of a thousand.
    """
    now = now or timezone.now()
    rows = Enrollment.objects.filter(classroom__in=classrooms).select_related("student")
    if lessons is not None:
        ids = [lesson.pk for lesson in lessons]
        # Without lessons, a condition no row meets (an empty IN would drop every row).
        condition = (
            Q(student__lesson_progress__lesson_id__in=ids)
            if ids
            else Q(student__lesson_progress__pk__isnull=True)
        )
        rows = rows.annotate(
            class_progress=FilteredRelation("student__lesson_progress", condition=condition)
        )
        progress, in_class = "class_progress", Q()
    else:
        progress = "student__lesson_progress"
        in_class = Q(student__lesson_progress__lesson__course__classrooms=F("classroom"))
        # The same lessons as the grid's columns: published, in a published course.
        in_class &= Q(student__lesson_progress__lesson__published=True)
        in_class &= Q(student__lesson_progress__lesson__course__published=True)
    return rows.annotate(
        passed=Count(progress, filter=in_class & Q(**{f"{progress}__passed_at__isnull": False})),
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
        avg_best=Avg(f"{progress}__best_score", filter=in_class or None),
        last_activity=Max(f"{progress}__last_activity_at", filter=in_class or None),
    ).annotate(
        needs_attention=Case(
            When(_needs_attention(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def grid_page(classroom, lessons, *, sort="name", attention=False, number=1, per_page=50):
    """(page, students in the class): one Paginator page of the class's students
    with their totals (student_rows), in the order asked.

    The name order needs no totals: the page is picked from the enrollments alone and
    only its students' totals are counted, a twentieth of the work in a class of a
    thousand. The other orders and the attention filter count everyone's."""
    students = classroom.enrollments.count()
    rows = student_rows([classroom], lessons=lessons)
    by_name = sort == "name" and not attention
    if by_name:
        ids = Enrollment.objects.filter(classroom=classroom).order_by(*SORTS["name"])
        paginator = Paginator(ids.values_list("pk", flat=True), per_page)
    elif attention:
        paginator = Paginator(rows.filter(needs_attention=True).order_by(*SORTS[sort]), per_page)
    else:
        paginator = Paginator(rows.order_by(*SORTS[sort]), per_page)
    if not attention:
        paginator.count = students  # known already: spare the totals a second run
    page = paginator.get_page(number)
    if by_name:
        totals = {row.pk: row for row in rows.filter(pk__in=list(page))}
        page.object_list = [totals[pk] for pk in page]
    return page, students


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


class CellStatus(models.TextChoices):
    """What a teacher reads in one cell of the grid, in order of precedence from
    the top: a passed lesson is passed, whatever else is true of it."""

    DONE_LATE = "done_late", "Done late"
    PASSED = "passed", "Passed"
    IN_PROGRESS = "in_progress", "In progress"
    NO_ATTEMPTS_LEFT = "no_attempts_left", "No attempts left"
    ATTEMPTED = "attempted", "Not passed yet"
    READ = "read", "Read"
    NOT_STARTED = "not_started", "Not started"


DONE = frozenset({CellStatus.PASSED, CellStatus.DONE_LATE})


class Cell(NamedTuple):
    """One student on one lesson. A tuple: a grid of thousands of cells is built
    without model instances, and equal cells share their rendering."""

    status: str  # a CellStatus
    score: int | None = None  # best score in hundredths of a percent: 6667 is 66.67%
    overdue: bool = False  # the class's due date has passed and the lesson is not
    extra_attempts: int = 0  # granted by a teacher beyond the quiz's limit

    @property
    def best_score(self):
        return None if self.score is None else Decimal(self.score) / 100

    @property
    def label(self):
        label = CellStatus(self.status).label
        if self.score is not None and self.status != CellStatus.NOT_STARTED:
            label = f"{label} · {percent(self.best_score)}"
        return label


def _status(due_dates):
    """The cell's status from its LessonProgress row, worked out by the database. "In
    progress" needs the attempts table and is added afterwards (class_cells)."""
    late = [
        When(lesson_id=pk, passed_at__gt=due_at, then=Value(CellStatus.DONE_LATE.value))
        for pk, due_at in due_dates.items()
    ]
    return Case(
        *late,
        When(passed_at__isnull=False, then=Value(CellStatus.PASSED.value)),
        When(out_of_attempts=True, then=Value(CellStatus.NO_ATTEMPTS_LEFT.value)),
        When(attempts_submitted__gt=0, then=Value(CellStatus.ATTEMPTED.value)),
        When(first_viewed_at__isnull=False, then=Value(CellStatus.READ.value)),
        default=Value(CellStatus.NOT_STARTED.value),
        output_field=CharField(),
    )


# Whole hundredths, not a Decimal: no conversion per row on the way out.
SCORE_HUNDREDTHS = Cast(Round(F("best_score") * 100), IntegerField())


def _fetch(values_list):
    """The rows of a values_list() as the database driver gives them, past Django's
    per-row converters: the cells' columns are integers and strings that need none,
    and converting 10,000 rows would cost a large class's CSV a sixth of its time."""
    try:
        sql, params = values_list.query.get_compiler(values_list.db).as_sql()
    except EmptyResultSet:  # no student on the page
        return []
    with connections[values_list.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Cells:
    """Every cell of some students on some lessons; `row` gives one student's, in
    column order, blank cells included."""

    def __init__(self, found, lessons, overdue_lessons):
        self._found = found  # {user id: {lesson id: Cell}}, for the cells not blank
        self._ids = [lesson.pk for lesson in lessons]
        self._blank = {
            pk: Cell(CellStatus.NOT_STARTED, None, pk in overdue_lessons) for pk in self._ids
        }

    def row(self, user_id):
        mine, blank = self._found.get(user_id, {}), self._blank
        return [mine.get(pk) or blank[pk] for pk in self._ids]


def class_cells(students, lessons, *, due_dates=None, now=None):
    """The cells of `students` (a list of ids, or a queryset of ids) on `lessons`, in
    two queries however many: progress, then open and extra attempts.

    `due_dates` ({lesson id: due_at}, the class's) makes passed-after-the-date "done
    late" and not-passed-after-it "overdue"."""
    now = now or timezone.now()
    due_dates = due_dates or {}
    ids = [lesson.pk for lesson in lessons]
    overdue_lessons = {pk for pk, due_at in due_dates.items() if due_at < now}
    rows = (
        LessonProgress.objects.filter(user_id__in=students, lesson_id__in=ids)
        .annotate(cell_status=_status(due_dates), score=SCORE_HUNDREDTHS)
        .values_list("user_id", "lesson_id", "cell_status", "score")
    )
    found, alike = {}, {}  # equal cells are one object: a class has few kinds of cell
    for user_id, lesson_id, status, score in _fetch(rows):
        cell = alike.get((status, score, lesson_id))
        if cell is None:
            overdue = lesson_id in overdue_lessons and status not in DONE
            cell = alike[status, score, lesson_id] = Cell(status, score, overdue)
        mine = found.get(user_id)
        if mine is None:
            mine = found[user_id] = {}
        mine[lesson_id] = cell

    # What the progress rows cannot say, in one query: attempts open with time left
    # (the student is at it now), marked 0, and extra attempts granted (1 or more).
    lesson_of_quiz = {lesson.quiz.pk: lesson.pk for lesson in lessons if _quiz(lesson)}
    open_attempts = (
        Attempt.objects.open()
        .filter(quiz_id__in=list(lesson_of_quiz), user_id__in=students)
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .annotate(n=Value(0, output_field=IntegerField()))
        .values_list("user_id", "quiz_id", "n")
        .order_by()
    )
    allowances = (
        AttemptAllowance.objects.filter(
            quiz_id__in=list(lesson_of_quiz), user_id__in=students, extra_attempts__gt=0
        )
        .annotate(n=F("extra_attempts"))
        .values_list("user_id", "quiz_id", "n")
        .order_by()
    )
    for user_id, quiz_id, extra in open_attempts.union(allowances, all=True):
        lesson_id = lesson_of_quiz[quiz_id]
        mine = found.setdefault(user_id, {})
        cell = mine.get(lesson_id) or Cell(
            CellStatus.NOT_STARTED, None, lesson_id in overdue_lessons
        )
        if extra:
            mine[lesson_id] = cell._replace(extra_attempts=extra)
        elif cell.status not in DONE:
            mine[lesson_id] = cell._replace(status=CellStatus.IN_PROGRESS.value)
    return Cells(found, lessons, overdue_lessons)


def _quiz(lesson):
    # Fetched with the lesson (class_lessons); a lesson may have none.
    return getattr(lesson, "quiz", None)


# ---------------------------------------------------------------- cells as the grid shows them

# Each status has its own words and its own colour; the words alone say it all.
STATUS_STYLES = {
    CellStatus.DONE_LATE: "bg-success-subtle text-success-emphasis border border-success",
    CellStatus.PASSED: "text-bg-success",
    CellStatus.IN_PROGRESS: "text-bg-primary",
    CellStatus.NO_ATTEMPTS_LEFT: "text-bg-dark",
    CellStatus.ATTEMPTED: "text-bg-warning",
    CellStatus.READ: "text-bg-info",
    CellStatus.NOT_STARTED: "text-bg-light border",
}
OVERDUE_STYLE = "text-bg-danger"
EXTRA_STYLE = "bg-primary-subtle text-primary-emphasis border border-primary"


def extra_attempts_text(extra):
    return f"+{extra} attempt{'' if extra == 1 else 's'}"


@lru_cache(maxsize=8192)
def cell_html(cell):
    """The badges of one cell. Built once per kind of cell and process: a grid of 500
    cells through template includes would cost more than all its queries."""
    parts = [
        format_html('<span class="badge {}">{}</span>', STATUS_STYLES[cell.status], cell.label)
    ]
    if cell.overdue:
        parts.append(f'<span class="badge {OVERDUE_STYLE}">Overdue</span>')
    if cell.extra_attempts:
        parts.append(
            f'<span class="badge {EXTRA_STYLE}">{extra_attempts_text(cell.extra_attempts)}</span>'
        )
    return mark_safe('<div class="grid-cell">' + " ".join(parts) + "</div>")


def row_html(cells, user_id):
    """One student's lesson cells as table cells."""
    return mark_safe("".join(f"<td>{cell_html(cell)}</td>" for cell in cells.row(user_id)))


def legend():
    """(label, style) of every badge a cell may show, for the key under the grid."""
    return [(status.label, STATUS_STYLES[status]) for status in CellStatus] + [
        ("Overdue", OVERDUE_STYLE),
        (extra_attempts_text(1), EXTRA_STYLE),
    ]


@lru_cache(maxsize=8192)
def cell_csv(cell):
    """(status, score) of one cell in the CSV: words, and a number a spreadsheet reads."""
    words = [CellStatus(cell.status).label.lower()]
    if cell.overdue:
        words.append("overdue")
    if cell.extra_attempts:
        words.append(f"{extra_attempts_text(cell.extra_attempts)} extra")
    return "; ".join(words), _hundredths_text(cell.score)


def _hundredths_text(score):
    """6667 -> "66.67", 6650 -> "66.5", 10000 -> "100"; None -> ""."""
    if score is None:
        return ""
    whole, part = divmod(score, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- columns

SHORT_TITLE = 24  # characters of a lesson title in a column header


@dataclass
class Column:
    lesson: Lesson
    passed: int
    avg_best: float | None
    students: int
    due_at: datetime | None = None

    @property
    def completion(self):
        return round(100 * self.passed / self.students) if self.students else 0

    @property
    def short_title(self):
        return Truncator(self.lesson.title).chars(SHORT_TITLE)

    @property
    def quiz(self):
        return _quiz(self.lesson)


def column_summaries(classroom, lessons, student_count, due_dates=None):
    """Per lesson: students of the class who passed it, their average best score,
    and the class's due date. One query."""
    due_dates = due_dates or {}
    stats = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(
            user_id__in=classroom.enrollments.values("student_id"),
            lesson_id__in=[lesson.pk for lesson in lessons],
        )
        .values("lesson_id")
        .annotate(passed=Count("pk", filter=Q(passed_at__isnull=False)), avg_best=Avg("best_score"))
        .order_by()
    }
    return [
        Column(
            lesson,
            stats.get(lesson.pk, {}).get("passed", 0),
            stats.get(lesson.pk, {}).get("avg_best"),
            student_count,
            due_dates.get(lesson.pk),
        )
        for lesson in lessons
    ]


def course_groups(lessons):
    """[(course, number of its lessons)] in column order: the grid's top header row."""
    groups = []
    for lesson in lessons:
        if groups and groups[-1][0].pk == lesson.course_id:
            groups[-1][1] += 1
        else:
            groups.append([lesson.course, 1])
    return [(course, span) for course, span in groups]
