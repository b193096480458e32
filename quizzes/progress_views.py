from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.extensions import mastery_for
from learning.models import Course, LessonProgress
from learning.progress import course_progress

from .models import Attempt, Response


def latest_attempts(user):
    """Each quiz's most recent submitted attempt of one user, in one query."""
    latest = (
        Attempt.objects.submitted()
        .filter(user=user, quiz=OuterRef("quiz"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return Attempt.objects.submitted().filter(user=user, pk=Subquery(latest))


def missed_questions(attempts):
    """{lesson id: [prompt, ...]} of the questions answered wrongly in these attempts."""
    missed = {}
    wrong = {}
    for attempt in attempts:
        wrong.setdefault(attempt.pk, set())
    for attempt_id, question_id in Response.objects.filter(
        attempt__in=attempts, is_correct=False
    ).values_list("attempt_id", "question_id"):
        wrong[attempt_id].add(question_id)
    for attempt in attempts:
        prompts = [q["prompt"] for q in attempt.paper["questions"] if q["id"] in wrong[attempt.pk]]
        missed[attempt.quiz.lesson_id] = prompts
    return missed


@require_GET
@never_cache
@login_required
def my_progress(request):
    user = request.user
    started = LessonProgress.objects.filter(user=user).values("lesson__course")
    courses = Course.objects.published().filter(pk__in=started).defer("source_text")
    progress = course_progress(user, courses)
    attempts = list(latest_attempts(user).select_related("quiz"))
    counts = dict(
        Attempt.objects.submitted()
        .filter(user=user)
        .values("quiz__lesson_id")
        .annotate(n=Count("pk"))
        .values_list("quiz__lesson_id", "n")
    )
    rows = [row for course in progress for row in course.rows]
    read = {row.lesson.pk: row.progress for row in rows if row.progress}
    context = {
        "progress": progress,
        "missed": missed_questions(attempts),
        "attempt_counts": counts,
        "mastery": mastery_for(request, [row.lesson for row in rows], read),
    }
    return render(request, "quizzes/progress.html", context)
