"""Access checks for teachers: each returns the object or raises 404 (or 403)."""

from functools import wraps

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Classroom
from .roles import is_teacher, sees_every_class


def teacher_required(view):
    """Anonymous visitors go to the login page; signed-in non-teachers get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_teacher(request.user):
            raise PermissionDenied("Only teachers can see this page.")
        return view(request, *args, **kwargs)

    return wrapper


def classes_for_teacher(user):
    if sees_every_class(user):
        return Classroom.objects.all()
    return Classroom.objects.filter(teachers=user)


def get_class_for_teacher(user, pk):
    """A teacher reaches only the classes they teach; superusers reach all."""
    return get_object_or_404(classes_for_teacher(user), pk=pk)


def get_student_in_class(classroom, user_id):
    return get_object_or_404(User.objects.filter(enrollments__classroom=classroom), pk=user_id)
