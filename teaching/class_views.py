"""A teacher's changes to a whole class: due dates, archiving and restoring, and the
pages that ask before a destructive action (the actions themselves are POSTs in
views.py: removing a student, a new join code)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import (
    classes_for_teacher,
    get_class_for_teacher,
    get_student_in_class,
    teacher_required,
)
from .due_dates import set_due_dates
from .forms import DueDatesForm
from .grid import class_lessons, due_dates_of


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def due_dates(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    lessons = list(class_lessons(classroom))
    form = DueDatesForm(
        request.POST if request.method == "POST" else None,
        lessons=lessons,
        due_dates=due_dates_of(lessons),
    )
    if request.method == "POST":
        if form.is_valid():
            changes = set_due_dates(classroom=classroom, due_dates=form.due_dates())
            if changes:
                messages.success(
                    request,
                    f"Due dates of {classroom.name} saved: {changes.set} set, "
                    f"{changes.cleared} removed.",
                )
            else:
                messages.info(request, "No due date changed.")
            return redirect(classroom)
        messages.error(request, "Some dates could not be read: nothing was saved. See below.")
    context = {
        "classroom": classroom,
        "form": form,
        "time_zone": timezone.get_current_timezone_name(),
    }
    return render(request, "teaching/due_dates.html", context, status=400 if form.errors else 200)


@require_GET
@never_cache
@teacher_required
def confirm_remove_student(request, pk, user_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    context = {"classroom": classroom, "student": student}
    return render(request, "teaching/confirm_remove.html", context)


@require_GET
@never_cache
@teacher_required
def confirm_regenerate_code(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    return render(request, "teaching/confirm_code.html", {"classroom": classroom})


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def archive_class(request, pk):
    """GET asks; POST archives. Nothing is deleted: the class leaves the teacher's
    lists, its code stops working, its students keep everything they did."""
    classroom = get_class_for_teacher(request.user, pk)
    if request.method == "GET":
        return render(request, "teaching/confirm_archive.html", {"classroom": classroom})
    if classroom.archived_at is None:
        classroom.archived_at = timezone.now()
        classroom.save(update_fields=["archived_at"])
    messages.success(
        request,
        f"{classroom.name} is archived. Its students keep their progress; its join code "
        "no longer works. You can restore it from Archived classes.",
    )
    return redirect("teaching:teach")


@require_POST
@teacher_required
def restore_class(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    if classroom.archived_at is not None:
        classroom.archived_at = None
        classroom.save(update_fields=["archived_at"])
    messages.success(request, f"{classroom.name} is restored: its join code works again.")
    return redirect(classroom)


@require_GET
@never_cache
@teacher_required
def archived_classes(request):
    classes = (
        classes_for_teacher(request.user)
        .filter(archived_at__isnull=False)
        .annotate(student_count=Count("enrollments"))
        .order_by("-archived_at", "name")
    )
    return render(request, "teaching/archived.html", {"classes": classes})


urlpatterns = [
    path("teach/classes/archived/", archived_classes, name="archived_classes"),
    path("teach/classes/<int:pk>/due-dates/", due_dates, name="due_dates"),
    path("teach/classes/<int:pk>/archive/", archive_class, name="archive_class"),
    path("teach/classes/<int:pk>/restore/", restore_class, name="restore_class"),
    path("teach/classes/<int:pk>/code/confirm/", confirm_regenerate_code, name="confirm_code"),
    path(
        "teach/classes/<int:pk>/students/<int:user_id>/remove/confirm/",
        confirm_remove_student,
        name="confirm_remove",
    ),
]
