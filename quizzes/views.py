import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Max, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts.security_log import log_event
from config.http import refusal, wants_json
from learning.models import LessonProgress

from .access import get_attempt_for_user, get_quiz_for_user
from .attempt_limits import extra_attempts
from .forms import ReportForm
from .grading import (
    AnswerRejected,
    AttemptClosed,
    AttemptRefused,
    SaveOrder,
    attempt_counts,
    attempts_left,
    is_expired,
    parse_answers,
    save_answers,
    start_attempt,
    submit_attempt,
)
from .models import Attempt, QuestionReport, ReportReason
from .reports import ReportRefused, file_report
from .results import answers_revealed, question_views


@require_safe
def quiz_detail(request, course, lesson):
    quiz = get_quiz_for_user(request.user, course, lesson)
    # The pool's size and the student's extra attempts come in one query.
    approved, _used, extra = attempt_counts(request.user, quiz)
    attempts, open_attempt, progress = [], None, None
    if request.user.is_authenticated:
        attempts = list(
            Attempt.objects.filter(user=request.user, quiz=quiz).order_by("number").defer("paper")
        )
        open_attempt = next((a for a in attempts if not a.is_submitted), None)
        progress = LessonProgress.objects.filter(user=request.user, lesson=quiz.lesson).first()
    context = {
        "quiz": quiz,
        "lesson": quiz.lesson,
        "course": quiz.lesson.course,
        "question_count": quiz.attempt_size(approved),
        "offered": quiz.is_offered(approved),
        "attempts": [a for a in attempts if a.is_submitted],
        "open_attempt": open_attempt,
        "attempts_left": attempts_left(quiz, len(attempts), extra),
        "allowed": None if quiz.max_attempts is None else quiz.max_attempts + extra,
        "extra": extra,
        "progress": progress,
    }
    return render(request, "quizzes/quiz.html", context)


@require_POST
def start(request, course, lesson):
    quiz = get_quiz_for_user(request.user, course, lesson)
    if not request.user.is_authenticated:
        # Back to the quiz page after logging in: the start URL itself only takes POST.
        return redirect_to_login(quiz.get_absolute_url())
    try:
        attempt = start_attempt(user=request.user, quiz=quiz)
    except AttemptRefused as refused:
        messages.error(request, str(refused))
        return redirect("quizzes:quiz", course, lesson)
    return redirect(attempt)


def _responses(attempt):
    return {r.question_id: r for r in attempt.responses.all()}


def _render_attempt(request, attempt, *, status=200, error=None, unanswered=None):
    responses = _responses(attempt)
    questions = question_views(attempt, selected={qid: r.selected for qid, r in responses.items()})
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "lesson": attempt.quiz.lesson,
        "course": attempt.quiz.lesson.course,
        "questions": questions,
        "answered_count": sum(q.answered for q in questions),
        "error": error,
        "unanswered": unanswered,
        "seconds_left": (
            max(0, int((attempt.deadline - timezone.now()).total_seconds()))
            if attempt.deadline
            else None
        ),
    }
    return render(request, "quizzes/attempt.html", context, status=status)


TIME_WAS_UP = "Time was up: your answers saved before the deadline were graded."


@require_GET
@never_cache
@login_required
def take(request, pk):
    attempt = get_attempt_for_user(request, pk)
    if not attempt.is_submitted and is_expired(attempt):
        attempt = submit_attempt(attempt=attempt)
        messages.info(request, TIME_WAS_UP)
    if attempt.is_submitted:
        return redirect("quizzes:result", attempt.pk)
    return _render_attempt(request, attempt)


SIGNED_OUT = "You are no longer logged in: log in again, then save. Answers saved before are kept."


def signed_in_to_answer(view):
    """A session that ended mid-quiz: the background save gets a message it can show,
    a button goes to the login page and from there back to the attempt (not to this
    POST-only address)."""

    @wraps(view)
    def wrapper(request, pk):
        if request.user.is_authenticated:
            return view(request, pk)
        if wants_json(request):
            return JsonResponse({"saved": False, "error": SIGNED_OUT}, status=403)
        return redirect_to_login(reverse("quizzes:attempt", args=[pk]))

    return wrapper


FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _posted_answers(request, attempt):
    """The answers of the quiz form; a body of any other kind (JSON, plain text) is refused
    rather than read as 'nothing chosen'."""
    if request.content_type not in FORM_CONTENT_TYPES:
        raise AnswerRejected("Answers must be sent with the quiz page's form.")
    return parse_answers(attempt.paper, request.POST)


PAGE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_SEQ = 2**53  # the largest whole number JavaScript counts exactly


def _posted_order(request):
    """The page and counter attempt.js sends with each save; none without JavaScript."""
    page, seq = request.POST.get("page", ""), request.POST.get("seq", "")
    if not page and not seq:
        return None
    valid_seq = seq.isascii() and seq.isdigit() and int(seq) <= MAX_SEQ
    if not PAGE_TOKEN.fullmatch(page) or not valid_seq:
        raise AnswerRejected("The page's save counter is not valid: reload the page.")
    return SaveOrder(page=page, seq=int(seq))


def _rejected(request, attempt, rejection):
    log_event("answer_rejected", request, attempt=attempt.pk, reason=rejection)


def _closed(request, attempt, reason):
    """Answers sent to a submitted or timed-out attempt: 409, and nothing changes."""
    if wants_json(request):
        return JsonResponse({"saved": False, "error": reason}, status=409)
    if not attempt.is_submitted:
        attempt = submit_attempt(attempt=attempt)
    messages.error(request, reason)
    return _render_result(request, attempt, status=409)


@require_POST
@signed_in_to_answer
def save(request, pk):
    """Save answers: in the background (JSON) or from the Save button (redirect)."""
    attempt = get_attempt_for_user(request, pk)
    try:
        answers = _posted_answers(request, attempt)
        if not wants_json(request) and not any(answers.values()):
            raise AnswerRejected("Nothing was chosen yet: pick an answer, then save.")
        if not answers:  # the page always names the questions it shows
            raise AnswerRejected("Nothing to save: the form named no question.")
        saved = save_answers(attempt=attempt, answers=answers, order=_posted_order(request))
    except AttemptClosed as closed:
        return _closed(request, attempt, str(closed))
    except AnswerRejected as rejection:
        _rejected(request, attempt, rejection)
        if wants_json(request):
            return JsonResponse({"saved": False, "error": str(rejection)}, status=400)
        return _render_attempt(request, attempt, status=400, error=str(rejection))
    if wants_json(request):
        return JsonResponse({"saved": True, "questions": len(saved)})
    messages.success(request, "Your answers are saved. You can come back and finish later.")
    return redirect(f"{reverse('quizzes:attempt', args=[attempt.pk])}#question-nav")


@require_POST
@signed_in_to_answer
def submit(request, pk):
    attempt = get_attempt_for_user(request, pk)
    if attempt.is_submitted:
        # A second click, another tab or a replayed POST: graded once already.
        return redirect("quizzes:result", attempt.pk)
    try:
        answers, order = _posted_answers(request, attempt), _posted_order(request)
        unanswered = _unanswered(attempt, answers) if request.POST.get("confirm") != "yes" else []
        if unanswered:
            # Kept while the student decides; the confirmed submit posts the form again.
            save_answers(attempt=attempt, answers=answers, order=order)
            return _render_attempt(request, attempt, unanswered=unanswered)
    except AttemptClosed:
        pass  # submitted in another tab, or out of time: grade what was saved in time
    except AnswerRejected as rejection:
        _rejected(request, attempt, rejection)
        return _render_attempt(request, attempt, status=400, error=str(rejection))
    attempt = submit_attempt(attempt=attempt, answers=answers)
    if attempt.timed_out:
        messages.info(request, TIME_WAS_UP)
    return redirect("quizzes:result", attempt.pk)


def _unanswered(attempt, answers):
    """Numbers, as shown, of the questions with nothing chosen: in the posted form, or,
    for a question the form did not name, in what was saved before."""
    questions = attempt.paper["questions"]
    missing = [q["id"] for q in questions if q["id"] not in answers]
    saved = set()
    if missing:
        saved = set(
            attempt.responses.filter(question_id__in=missing)
            .exclude(selected=[])
            .values_list("question_id", flat=True)
        )
    return [n for n, q in enumerate(questions, 1) if not (answers.get(q["id"]) or q["id"] in saved)]


@require_GET
@never_cache
@login_required
def result(request, pk):
    attempt = get_attempt_for_user(request, pk)
    if not attempt.is_submitted:
        return redirect(attempt)
    return _render_result(request, attempt)


@require_POST
@login_required
def report(request, pk):
    """A student reports a problem with a question of their submitted attempt."""
    attempt = get_attempt_for_user(request, pk)
    if not attempt.is_submitted:  # the result page, where the form is, is not open yet
        return refusal(request, 409, "Submit the attempt first, then report a problem.")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            file_report(
                user=request.user,
                attempt=attempt,
                question_id=form.cleaned_data["question"],
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except ReportRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Thank you: an editor will look at this question.")
            return redirect(attempt)
    shown = {str(q["id"]) for q in attempt.paper.get("questions", [])}
    if request.POST.get("question") not in shown:
        # No question of the page to show the errors beside: say it at the top.
        messages.error(request, " ".join(form.non_field_errors()) or "No such question here.")
    return _render_result(request, attempt, status=400, report_form=form)


def _render_result(request, attempt, *, status=200, report_form=None):
    quiz = attempt.quiz
    # Count submitted attempts only: while the last attempt is open, attempts
    # remain, so "once no attempts are left" must not reveal the key to it.
    summary = Attempt.objects.filter(user=attempt.user_id, quiz=quiz).aggregate(
        used=Count("pk", filter=Q(submitted_at__isnull=False)),
        passed=Count("pk", filter=Q(passed=True)),
        best=Max("score"),
        # The same for every row: the teacher's extra attempts, in the same query.
        extra=Max(extra_attempts(quiz=quiz, user=attempt.user_id)),
    )
    extra = summary["extra"] or 0
    reveal = answers_revealed(
        # answers_revealed knows the quiz's own limit: extra attempts count as unused.
        quiz,
        passed_ever=summary["passed"] > 0,
        attempts_used=summary["used"] - extra,
    )
    responses = _responses(attempt)
    questions = question_views(
        attempt,
        selected={qid: r.selected for qid, r in responses.items()},
        rights={qid: r.is_correct for qid, r in responses.items()},
        reveal=reveal,
    )
    lesson = quiz.lesson
    next_lesson = (
        lesson.course.lessons.published()
        .filter(position__gt=lesson.position)
        .order_by("position")
        .first()
    )
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "lesson": lesson,
        "course": lesson.course,
        "questions": questions,
        "right_count": sum(bool(q.right) for q in questions),
        "reveal": reveal,
        "best": summary["best"],
        "passed_ever": summary["passed"] > 0,
        "attempts_left": attempts_left(quiz, summary["used"], extra),
        "next_lesson": next_lesson,
        "reported": set(
            QuestionReport.objects.open()
            .filter(user=attempt.user_id, question_id__in=[q.id for q in questions])
            .values_list("question_id", flat=True)
        ),
        "report_form": report_form,
        "report_reasons": ReportReason.choices,
    }
    return render(request, "quizzes/result.html", context, status=status)
