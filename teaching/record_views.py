"""Teacher pages about one student's work: their record, with the actions a teacher can
take from it (extra attempts, closing an open attempt, a new attempt, a new password),
and question statistics."""

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from learning.progress import course_progress
from learning.templatetags.learning_tags import percent
from quizzes.models import Attempt, Quiz, Response, RevealAnswers
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
from .actions import (
    ActionRefused,
    check_password_resettable,
    close_open_attempt,
    give_new_attempt,
    grant_extra_attempts,
    reset_password,
    standing,
    standing_annotations,
    standing_from,
    why_no_new_attempt,
)
from .grid import class_lessons
from .mastery_grid import review_annotations, review_record
from .models import TeacherAction
from .roles import sees_every_class
from .roster_views import stash_passwords

HISTORY_LENGTH = 50


@require_GET
@never_cache
@teacher_required
def student_record(request, pk, user_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    # Each lesson comes with where the student stands at its quiz and with their review
    # cards of it (for the review section and its mastery): no query per lesson.
    lessons = list(
        class_lessons(classroom).annotate(
            **standing_annotations(student, quiz__lesson=OuterRef("pk")),
            **review_annotations(student, now=timezone.now()),
        )
    )
    standings = [
        (lesson, standing_from(lesson, lesson.quiz))
        for lesson in lessons
        if hasattr(lesson, "quiz")
    ]
    courses = {lesson.course_id: lesson.course for lesson in lessons}
    progress = course_progress(student, courses.values(), lessons=lessons)
    made = {row.lesson.pk: row.progress for course in progress for row in course.rows}
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
        "standings": standings,
        "review": review_record(lessons, made),
        "history": TeacherAction.objects.filter(student=student).select_related(
            "teacher", "classroom", "quiz__lesson"
        )[:HISTORY_LENGTH],
    }
    return render(request, "teaching/student_record.html", context)


@require_GET
@never_cache
@teacher_required
def quiz_stats(request, pk):
    quiz = get_object_or_404(quizzes_with_pools(Quiz.objects.all()), pk=pk)
    # Classes of this teacher that follow the quiz's course; superusers may also see everyone.
    classes = list(classes_for_teacher(request.user).filter(courses=quiz.lesson.course).distinct())
    if not classes and not sees_every_class(request.user):
        raise Http404("You teach no class that follows this course.")
    class_id = request.GET.get("class", "")
    classroom = None
    if class_id:
        classroom = next((c for c in classes if str(c.pk) == class_id), None)
        if classroom is None:
            raise Http404("No such class among yours.")
    elif not sees_every_class(request.user):
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


# ---------------------------------------------------------------- actions on a student's work
#
# Each action's URL answers GET with a confirmation page (it works without JavaScript)
# and POST, from that page, by doing it. A refusal re-renders the page with its reason.


class ExtraAttemptsForm(forms.Form):
    count = forms.IntegerField(
        min_value=1,
        max_value=10,
        initial=1,
        label="Extra attempts",
        help_text="How many more attempts this student may take at this quiz (1 to 10).",
    )


def _quiz_in_class(classroom, quiz_id):
    """A quiz of a published lesson of the class's courses, or 404."""
    quizzes = Quiz.objects.select_related("lesson__course").filter(
        lesson__course__classrooms=classroom, lesson__published=True
    )
    return get_object_or_404(quizzes, pk=quiz_id)


def _open_attempt_in_class(classroom, student, attempt_id):
    """The student's attempt at a quiz of the class's courses, or 404."""
    attempts = Attempt.objects.select_related("quiz__lesson__course").filter(
        user=student, quiz__lesson__course__classrooms=classroom
    )
    return get_object_or_404(attempts, pk=attempt_id)


def _record_url(classroom, student, anchor=""):
    url = reverse("teaching:student_record", args=[classroom.pk, student.pk])
    return f"{url}#{anchor}" if anchor else url


def _confirm(request, *, classroom, student, refused=None, status=200, **page):
    """The confirmation page; `refused` (an ActionRefused) replaces the button by why,
    answered with its status to a POST."""
    context = {
        "classroom": classroom,
        "student": student,
        "cancel_url": _record_url(classroom, student, "quiz-attempts"),
        "refused": str(refused) if refused else "",
        **page,
    }
    if refused is not None and request.method == "POST":
        status = refused.status  # a GET only reads: it says why, with a 200
    return render(request, "teaching/confirm_action.html", context, status=status)


def _answers_seen(quiz, now):
    """Whether the student may have seen the key of their past attempts (a new attempt
    then tests memory more than understanding); said on the confirmation page."""
    shown_when_done = quiz.reveal_answers in (
        RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT,
        RevealAnswers.NO_ATTEMPTS_LEFT,
    )
    return now.used > 0 and (
        quiz.reveal_answers == RevealAnswers.ALWAYS or (shown_when_done and now.left == 0)
    )


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def grant_attempts(request, pk, user_id, quiz_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    quiz = _quiz_in_class(classroom, quiz_id)
    form = ExtraAttemptsForm(request.POST) if request.method == "POST" else ExtraAttemptsForm()
    refused = None
    if quiz.max_attempts is None:
        refused = ActionRefused("This quiz has no attempt limit: no extra attempts are needed.")
    elif request.method == "POST" and form.is_valid():
        count = form.cleaned_data["count"]
        try:
            grant_extra_attempts(
                classroom=classroom, teacher=request.user, student=student, quiz=quiz, count=count
            )
        except ActionRefused as problem:
            form.add_error(None, str(problem))
        else:
            now = standing(student, quiz)
            messages.success(
                request,
                f"{_name(student)} may take {count} more attempt{'s' if count != 1 else ''} "
                f"at the quiz of lesson {quiz.lesson.position}: {now.left} left, "
                f"{now.allowed} in all.",
            )
            return redirect(_record_url(classroom, student, "quiz-attempts"))
    now = standing(student, quiz)
    return _confirm(
        request,
        classroom=classroom,
        student=student,
        refused=refused,
        status=400 if form.errors else 200,
        heading=f"Extra attempts for {_name(student)}",
        quiz=quiz,
        now=now,
        answers_seen=_answers_seen(quiz, now),
        form=form,
        button="Grant the extra attempts",
        what=(
            "The extra attempts are added to this student's limit at this quiz; "
            "the limit of the other students does not change."
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def new_attempt(request, pk, user_id, quiz_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    quiz = _quiz_in_class(classroom, quiz_id)
    refused = None
    if request.method == "POST":
        try:
            give_new_attempt(classroom=classroom, teacher=request.user, student=student, quiz=quiz)
        except ActionRefused as problem:
            refused = problem
        else:
            messages.success(
                request,
                f"{_name(student)} can start a new attempt at the quiz of lesson "
                f"{quiz.lesson.position}. Their earlier attempts are kept.",
            )
            return redirect(_record_url(classroom, student, "quiz-attempts"))
    now = standing(student, quiz)
    refused = refused or why_no_new_attempt(now)
    return _confirm(
        request,
        classroom=classroom,
        student=student,
        refused=refused,
        heading=f"A new attempt for {_name(student)}",
        quiz=quiz,
        now=now,
        answers_seen=_answers_seen(quiz, now),
        button="Give a new attempt",
        what=(
            "The student failed this quiz and has no attempts left. A new attempt adds "
            "one to their limit: every earlier attempt and its score stay in their history."
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def close_attempt(request, pk, user_id, attempt_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    attempt = _open_attempt_in_class(classroom, student, attempt_id)
    refused = None
    if attempt.is_submitted:
        refused = ActionRefused("This attempt has been submitted already.")
    elif request.method == "POST":
        try:
            graded = close_open_attempt(
                classroom=classroom, teacher=request.user, student=student, attempt=attempt
            )
        except ActionRefused as problem:
            refused = problem
        else:
            messages.success(
                request,
                f"Attempt {graded.number} at the quiz of lesson {attempt.quiz.lesson.position} "
                f"is closed and graded with the answers saved: "
                f"{percent(graded.score, attempt.quiz.pass_mark)}.",
            )
            return redirect(_record_url(classroom, student, "quiz-attempts"))
    answered = attempt.responses.exclude(selected=[]).count()
    return _confirm(
        request,
        classroom=classroom,
        student=student,
        refused=refused,
        heading=f"Close attempt {attempt.number} of {_name(student)}",
        quiz=attempt.quiz,
        attempt=attempt,
        answered=answered,
        questions=len(attempt.paper.get("questions", [])),
        button="Close and grade the attempt",
        what=(
            "The attempt is graded as if the student had submitted it now, with the "
            "answers they saved; questions left blank count as wrong. It uses up the attempt."
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def reset_student_password(request, pk, user_id):
    classroom = get_class_for_teacher(request.user, pk)
    student = get_student_in_class(classroom, user_id)
    try:
        check_password_resettable(student)
    except ActionRefused as refused:
        return render(request, "403.html", {"message": str(refused)}, status=refused.status)
    if request.method == "POST":
        password = reset_password(classroom=classroom, teacher=request.user, student=student)
        stash_passwords(
            request,
            classroom,
            [(student.get_username(), student.get_full_name(), password)],
            student=student,
        )
        return redirect("teaching:new_passwords", classroom.pk)
    return _confirm(
        request,
        classroom=classroom,
        student=student,
        heading=f"A new password for {_name(student)}",
        cancel_url=_record_url(classroom, student, "account"),
        button="Reset the password",
        danger=True,
        what=(
            "The student's current password stops working at once and they are signed "
            "out everywhere. The next page shows a one-time password, once: hand it to "
            "the student, who chooses their own password when they next sign in."
        ),
    )


def _name(user):
    return user.get_full_name() or user.get_username()


_STUDENT = "teach/classes/<int:pk>/students/<int:user_id>/"

# Added to teaching.urls at its end.
urlpatterns = [
    path(
        _STUDENT + "quizzes/<int:quiz_id>/extra-attempts/",
        grant_attempts,
        name="grant_attempts",
    ),
    path(_STUDENT + "quizzes/<int:quiz_id>/new-attempt/", new_attempt, name="new_attempt"),
    path(_STUDENT + "attempts/<int:attempt_id>/close/", close_attempt, name="close_attempt"),
    path(_STUDENT + "password/", reset_student_password, name="reset_password"),
]
