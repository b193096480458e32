"""A student's own classes: the list at /classes/, and leaving one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from learning.models import Course

from .models import Enrollment


def _with_teachers(enrollments):
    teachers = User.objects.order_by("last_name", "first_name", "username")
    return enrollments.select_related("classroom").prefetch_related(
        Prefetch("classroom__teachers", queryset=teachers)
    )


def enrollments_of(student):
    """The student's enrollments, newest first, each with its class's teachers and
    the published courses it follows (a course still being written is not listed)."""
    courses = Course.objects.published().order_by("title")
    return (
        _with_teachers(Enrollment.objects.filter(student=student))
        .prefetch_related(Prefetch("classroom__courses", queryset=courses))
        .order_by("-joined_at", "-pk")
    )


def get_own_enrollment(student, classroom_id):
    """The student's enrollment in that class, or 404: never someone else's."""
    return get_object_or_404(
        _with_teachers(Enrollment.objects.all()), student=student, classroom_id=classroom_id
    )


@require_GET
@never_cache
@login_required
def my_classes(request):
    return render(
        request, "teaching/my_classes.html", {"enrollments": list(enrollments_of(request.user))}
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def leave_class(request, pk):
    enrollment = get_own_enrollment(request.user, pk)
    classroom = enrollment.classroom
    if request.method == "POST":
        # Only the enrollment goes: lessons read, attempts and progress stay the student's.
        enrollment.delete()
        messages.success(
            request,
            f"You left {classroom.name}. Its teachers no longer see your progress; "
            "your own work is kept.",
        )
        return redirect("teaching:my_classes")
    return render(request, "teaching/leave_class.html", {"enrollment": enrollment})


urlpatterns = [
    path("classes/", my_classes, name="my_classes"),
    path("classes/<int:pk>/leave/", leave_class, name="leave_class"),
]
