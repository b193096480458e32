from django.shortcuts import render
from django.views.decorators.http import require_safe

from .access import get_course_for_user, get_lesson_for_user
from .extensions import due_dates_for, lesson_panels_for, mastery_for
from .models import Course, Lesson
from .progress import LONG_LESSON_FIELDS, course_progress, record_visit


@require_safe
def home(request):
    courses = Course.objects.published().defer("source_text")
    progress = course_progress(request.user, courses)
    dues = due_dates_for(request, [row.lesson for item in progress for row in item.rows])
    return render(request, "learning/home.html", {"progress": progress, "dues": dues})


@require_safe
def course_detail(request, course):
    course = get_course_for_user(request.user, course)
    lessons = (
        Lesson.objects.visible_to(request.user)
        .filter(course=course)
        .order_by("position")
        .defer(*LONG_LESSON_FIELDS)
    )
    [progress] = course_progress(request.user, [course], lessons=list(lessons))
    shown = [row.lesson for row in progress.rows]
    # The progress rows read already: the mastery then reads only the cards.
    read = {row.lesson.pk: row.progress for row in progress.rows if row.progress}
    context = {
        "course": course,
        "progress": progress,
        "dues": due_dates_for(request, shown),
        "mastery": mastery_for(request, shown, read),
    }
    return render(request, "learning/course.html", context)


@require_safe
def lesson_detail(request, course, lesson):
    lesson = get_lesson_for_user(request.user, course, lesson)
    siblings = list(
        Lesson.objects.visible_to(request.user)
        .filter(course=lesson.course)
        .order_by("position")
        .only("pk", "position", "title", "slug", "course_id")
    )
    for sibling in siblings:
        sibling.course = lesson.course  # their links need the slug: no query each
    index = next(i for i, x in enumerate(siblings) if x.pk == lesson.pk)
    record_visit(request.user, lesson)
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "panels": lesson_panels_for(request, lesson),
    }
    return render(request, "learning/lesson.html", context)
