"""Teacher pages that read attempts and answers: a student's record, question statistics."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.progress import course_progress
from quizzes.models import Attempt, Quiz, Response
from quizzes.quiz_checks import check_quiz, quizzes_with_pools
from quizzes.reports import open_reports_by_question
from quizzes.results import question_views
from quizzes.stats import statistics_for

from .access import (
    classes_for_teacher,
    get_class_for_teacher,
    get_student_in_class,
    teacher_required,
)
from .grid import class_lessons


@require_GET
@never_cache
@teacher_required
def student_record(request, pk, user_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    lessons = list(class_lessons(classroom))
    courses = {lesson.course_id: lesson.course for lesson in lessons}
    progress = course_progress(student, courses.values(), lessons=lessons)
    attempts = (
        Attempt.objects.submitted()
        .filter(user=student, quiz__lesson__in=lessons)
        .select_related("quiz__lesson")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.only(
                    "attempt_id", "question_id", "selected", "is_correct"
                ),
            )
        )
        .order_by("quiz__lesson__course_id", "quiz__lesson__position", "number")
    )
    records = []
    for attempt in attempts:
        responses = list(attempt.responses.all())
        views = question_views(
            attempt,
            selected={r.question_id: r.selected for r in responses},
            rights={r.question_id: r.is_correct for r in responses},
            reveal=True,
        )
        answers = [
            (
                q,
                [c.text for c in q.choices if c.chosen],
                [c.text for c in q.choices if c.correct],
            )
            for q in views
        ]
        records.append((attempt, answers))
    context = {
        "classroom": classroom,
        "student": student,
        "progress": progress,
        "records": records,
    }
    return render(request, "teaching/student_record.html", context)


@require_GET
@never_cache
@teacher_required
def quiz_stats(request, pk):
    quiz = get_object_or_404(quizzes_with_pools(Quiz.objects.all()), pk=pk)
    # Classes of this teacher that follow the quiz's course; staff may also see everyone.
    classes = list(classes_for_teacher(request.user).filter(courses=quiz.lesson.course).distinct())
    if not classes and not request.user.is_staff:
        raise Http404("You teach no class that follows this course.")
    class_id = request.GET.get("class", "")
    classroom = None
    if class_id:
        classroom = next((c for c in classes if str(c.pk) == class_id), None)
        if classroom is None:
            raise Http404("No such class among yours.")
    elif not request.user.is_staff:
        classroom = classes[0]
    all_attempts = request.GET.get("attempts") == "all"

    attempts = Attempt.objects.submitted().filter(quiz=quiz)
    if classroom is not None:
        attempts = attempts.filter(Exists(classroom.enrollments.filter(student=OuterRef("user"))))
    if not all_attempts:
        attempts = attempts.filter(number=1)
    stats = statistics_for(quiz, attempts)
    findings = check_quiz(quiz).questions
    reports = open_reports_by_question(quiz)
    context = {
        "quiz": quiz,
        "lesson": quiz.lesson,
        "classes": classes,
        "classroom": classroom,
        "all_attempts": all_attempts,
        "stats": stats,
        "rows": [(q, findings.get(q.id, []), reports.get(q.id, 0)) for q in stats.questions],
        "open_reports": sum(reports.values()),
    }
    return render(request, "teaching/stats.html", context)
