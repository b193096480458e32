"""Access checks for quiz objects: each returns the object or raises 404."""

from django.shortcuts import get_object_or_404

from learning.access import get_lesson_for_user

from .models import Attempt, Quiz


def get_quiz_for_user(user, course_slug, lesson_slug):
    lesson = get_lesson_for_user(user, course_slug, lesson_slug)
    return get_object_or_404(Quiz.objects.select_related("lesson__course"), lesson=lesson)


def get_attempt_for_user(request, attempt_id):
    """A student reaches only their own attempts; anyone else's is a 404."""
    return get_object_or_404(
        Attempt.objects.select_related("quiz__lesson__course"), pk=attempt_id, user=request.user
    )
