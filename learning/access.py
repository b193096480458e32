"""Access checks, one per object kind: each returns the object or raises 404."""

from django.shortcuts import get_object_or_404

from . import extensions
from .models import Course, Lesson


def get_course_for_user(user, slug):
    courses = Course.objects.all() if user.is_staff else Course.objects.published()
    return get_object_or_404(courses, slug=slug)


def get_lesson_for_user(user, course_slug, lesson_slug):
    related = ["course", *extensions.lesson_related]
    lessons = (
        Lesson.objects.visible_to(user)
        .select_related(*related)
        .annotate(**extensions.lesson_annotations)
    )
    return get_object_or_404(lessons, course__slug=course_slug, slug=lesson_slug)
