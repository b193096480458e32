import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import throttles
from learning.models import Status
from learning.templatetags.learning_tags import badge_html, percent

from .access import (
    classes_for_teacher,
    get_class_for_teacher,
    get_student_in_class,
    teacher_required,
)
from .forms import ClassroomForm, GridFilterForm, JoinClassForm
from .grid import (
    SORTS,
    class_lessons,
    class_summaries,
    column_summaries,
    progress_cells,
    student_rows,
)
from .models import Enrollment, new_join_code

STUDENTS_PER_PAGE = 50


@require_GET
@never_cache
@teacher_required
def teach_home(request):
    classes = classes_for_teacher(request.user).order_by("name")
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
    Enrollment.objects.filter(classroom=classroom, student=student).delete()
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
    rows = student_rows([classroom]).order_by(*SORTS[sort])
    if filters.cleaned_data.get("attention"):
        rows = rows.filter(needs_attention=True)
    page = Paginator(rows, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    lessons = list(class_lessons(classroom))
    cells = progress_cells([row.student_id for row in page], lessons)
    # The cells as HTML, built here: a template loop over 500 cells costs more than the queries.
    not_started = badge_html(Status.NOT_STARTED, None)
    grid = []
    for row in page:
        html = []
        for lesson in lessons:
            cell = cells.get((row.student_id, lesson.pk))
            html.append(badge_html(cell.status, cell.best_score) if cell else not_started)
        grid.append((row, mark_safe("<td>" + "</td><td>".join(html) + "</td>")))
    student_count = classroom.enrollments.count()
    context = {
        "classroom": classroom,
        "lessons": lessons,
        "grid": grid,
        "page": page,
        "columns": column_summaries(classroom, lessons, student_count),
        "student_count": student_count,
        "filters": filters,
        "sort": sort,
        "attention": filters.cleaned_data.get("attention"),
    }
    return render(request, "teaching/grid.html", context)


def spreadsheet_safe(value):
    """Keep a spreadsheet from running a cell as a formula, also one that trims
    leading spaces on import."""
    text = "" if value is None else str(value)
    risky = text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")
    return "'" + text if risky else text


@require_GET
@never_cache
@teacher_required
def class_csv(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    lessons = list(class_lessons(classroom))
    rows = list(student_rows([classroom]).order_by("student__username"))
    cells = progress_cells(classroom.enrollments.values("student_id"), lessons)

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"class-{classroom.pk}-progress.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            "username",
            "first name",
            "last name",
            "lessons passed",
            "average best score",
            "last activity",
            "needs attention",
        ]
        + [spreadsheet_safe(f"{lesson.position}. {lesson.title}") for lesson in lessons]
    )
    for row in rows:
        student = row.student
        cells_out = []
        for lesson in lessons:
            progress = cells.get((row.student_id, lesson.pk))
            if progress is None:
                cells_out.append("not started")
            else:
                score = "" if progress.best_score is None else f" {percent(progress.best_score)}"
                cells_out.append(f"{progress.status.label.lower()}{score}")
        writer.writerow(
            [spreadsheet_safe(x) for x in (student.username, student.first_name, student.last_name)]
            + [
                row.passed,
                "" if row.avg_best is None else f"{row.avg_best:.1f}",
                row.last_activity.isoformat(timespec="minutes") if row.last_activity else "",
                "yes" if row.needs_attention else "no",
            ]
            + cells_out
        )
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
