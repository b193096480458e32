import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import throttles

from .access import (
    classes_for_teacher,
    get_class_for_teacher,
    get_student_in_class,
    teacher_required,
)
from .forms import ClassroomForm, GridFilterForm, JoinClassForm
from .grid import (
    cell_csv,
    class_cells,
    class_lessons,
    class_summaries,
    column_summaries,
    course_groups,
    due_dates_of,
    grid_page,
    legend,
    row_html,
    student_rows,
)
from .mastery_grid import (
    FLOOR_PERCENT,
    fading_shares,
    mastery_cells,
    mastery_legend,
    mastery_row_html,
)
from .models import ActionKind, Enrollment, TeacherAction, new_join_code

STUDENTS_PER_PAGE = 50


@require_GET
@never_cache
@teacher_required
def teach_home(request):
    # Archived classes have their own page (class_views.archived_classes).
    classes = classes_for_teacher(request.user).filter(archived_at__isnull=True).order_by("name")
    return render(request, "teaching/home.html", {"summaries": class_summaries(classes)})


@teacher_required
def class_create(request):
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            classroom = form.save()
            classroom.teachers.add(request.user)
        messages.success(
            request, f"Class '{classroom.name}' created. Share the join code {classroom.join_code}."
        )
        return redirect(classroom)
    return render(request, "teaching/class_form.html", {"form": form, "creating": True})


@teacher_required
def class_edit(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    form = ClassroomForm(request.POST or None, instance=classroom)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Class '{classroom.name}' saved.")
        return redirect(classroom)
    context = {"form": form, "classroom": classroom, "creating": False}
    return render(request, "teaching/class_form.html", context)


@require_POST
@teacher_required
def regenerate_code(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    classroom.join_code = new_join_code()
    classroom.save(update_fields=["join_code"])
    messages.success(
        request, f"New join code: {classroom.join_code}. The old code no longer works."
    )
    return redirect(classroom)


@require_POST
@teacher_required
def remove_student(request, pk, user_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    # Only the enrollment goes: the student's own work and progress stay theirs.
    with transaction.atomic():
        Enrollment.objects.filter(classroom=classroom, student=student).delete()
        TeacherAction.objects.create(
            classroom=classroom,
            teacher=request.user,
            student=student,
            kind=ActionKind.REMOVE_STUDENT,
            detail=classroom.name[:200],
        )
    messages.success(request, f"{student.username} was removed from {classroom.name}.")
    return redirect(classroom)


@require_GET
@never_cache
@teacher_required
def class_grid(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    filters = GridFilterForm(request.GET)
    filters.is_valid()  # unknown values fall back to the defaults below
    sort = filters.cleaned_data.get("sort") or "name"
    attention = filters.cleaned_data.get("attention")
    mastery = filters.cleaned_data.get("show") == "mastery"
    lessons = list(class_lessons(classroom))
    page, student_count = grid_page(
        classroom,
        lessons,
        sort=sort,
        attention=attention,
        number=request.GET.get("page"),
        per_page=STUDENTS_PER_PAGE,
    )
    due_dates = due_dates_of(lessons)
    students = [row.student_id for row in page]
    if mastery:
        now = timezone.now()
        cells, row_of = mastery_cells(students, lessons, now=now), mastery_row_html
        shares = fading_shares(classroom, lessons, now=now)
    else:
        cells, row_of = class_cells(students, lessons, due_dates=due_dates), row_html
    groups = course_groups(lessons)
    context = {
        "classroom": classroom,
        "lessons": lessons,
        "grid": [(row, row_of(cells, row.student_id)) for row in page],
        "page": page,
        "columns": column_summaries(classroom, lessons, student_count, due_dates),
        "course_groups": groups,
        "grouped": len(groups) > 1,  # a header row of course names over the lessons
        "legend": mastery_legend() if mastery else legend(),
        "student_count": student_count,
        "filters": filters,
        "sort": sort,
        "attention": attention,
        "mastery": mastery,
        "shares": [shares[lesson.pk] for lesson in lessons] if mastery else [],
        "recall_floor": FLOOR_PERCENT,
    }
    return render(request, "teaching/grid.html", context)


def spreadsheet_safe(value):
    """Keep a spreadsheet from running a cell as a formula, also one that trims
    leading spaces on import."""
    text = "" if value is None else str(value)
    risky = text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")
    return "'" + text if risky else text


def _csv_time(moment, zone=None):
    """A time as the teacher reads it: in their time zone, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


def csv_header(lessons, due_dates):
    """The header row: each lesson has a status and a score column, named by course,
    lesson and (on the status column) the class's due date."""
    zone = timezone.get_current_timezone_name()
    header = [
        "username",
        "first name",
        "last name",
        "lessons passed",
        "average best score",
        f"last activity ({zone})",
        "needs attention",
    ]
    for lesson in lessons:
        name = f"{lesson.course.title} – {lesson.position}. {lesson.title}"
        due_at = due_dates.get(lesson.pk)
        due = f" (due {_csv_time(due_at)})" if due_at else ""
        header += [f"status{due}: {name}", f"score: {name}"]
    # The titles come after a word of ours, yet a cell is guarded wherever it starts.
    return [spreadsheet_safe(cell) for cell in header]


def progress_csv(classroom):
    """The grid as CSV text: one row per student (by username), a status and a score
    column per lesson, times in the current time zone (the teacher's)."""
    lessons = list(class_lessons(classroom))
    due_dates = due_dates_of(lessons)
    rows = (
        student_rows([classroom], lessons=lessons)
        .order_by("student__username")
        .values_list(
            "student_id",
            "student__username",
            "student__first_name",
            "student__last_name",
            "passed",
            "avg_best",
            "last_activity",
            "needs_attention",
        )
    )
    cells = class_cells(classroom.enrollments.values("student_id"), lessons, due_dates=due_dates)
    out = io.StringIO()
    out.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(out)
    writer.writerow(csv_header(lessons, due_dates))
    zone = timezone.get_current_timezone()
    for student_id, username, first, last, passed, avg_best, last_activity, attention in rows:
        line = [
            spreadsheet_safe(username),
            spreadsheet_safe(first),
            spreadsheet_safe(last),
            passed,
            "" if avg_best is None else f"{avg_best:.1f}",
            _csv_time(last_activity, zone),
            "yes" if attention else "no",
        ]
        for cell in cells.row(student_id):
            line.extend(cell_csv(cell))  # our own words and numbers: nothing to guard
        writer.writerow(line)
    return out.getvalue()


@require_GET
@never_cache
@teacher_required
def class_csv(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    response = HttpResponse(progress_csv(classroom), content_type="text/csv; charset=utf-8")
    filename = f"class-{classroom.pk}-progress.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def join_class(request):
    form = JoinClassForm(request.POST or None)
    refused = _join_refused(request, form) if request.method == "POST" else None
    if refused:
        return refused
    if request.method == "POST" and form.is_valid():
        classroom = form.cleaned_data["classroom"]
        _, joined = Enrollment.objects.get_or_create(classroom=classroom, student=request.user)
        if joined:
            messages.success(request, f"You joined {classroom.name}.")
        else:
            messages.info(request, f"You are already in {classroom.name}.")
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "teaching/join.html", {"form": form}, status=status)


def _join_refused(request, form):
    """The 429 for an address over a join limit, or None. An address that guessed too
    many codes is refused even a right one, or the guessing would simply go on."""
    address = throttles.client_address(request)
    wait = throttles.retry_after("join_failed", address)
    if wait is not None:
        return throttles.too_many_requests(request, wait, "wrong class codes")
    if form.is_valid():
        wait, what = throttles.hit("join", address), "class joins"
    else:
        wait, what = throttles.hit("join_failed", address), "wrong class codes"
    return None if wait is None else throttles.too_many_requests(request, wait, what)
