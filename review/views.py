"""The review session and practice: one question at a time, then its feedback.

Every step is a plain form or link, so the whole session works without JavaScript;
the rules live in review.sessions."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.security_log import log_event
from learning.models import Lesson
from quizzes.grading import AnswerRejected

from . import sessions
from .models import Rating
from .scheduling import due_summary

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _summary(request, now):
    """Due now and next due, counted once for the page and its navigation alike."""
    summary = getattr(request, "review_summary", None)
    if summary is None:
        summary = request.review_summary = due_summary(request.user, now=now)
    return summary


def _refused(request, status, message, sitting=None):
    return render(
        request,
        "review/refused.html",
        {"message": message, "continue_url": _continue_url(sitting)},
        status=status,
    )


def _continue_url(sitting):
    if sitting is None:
        return reverse("review:session")
    return f"{reverse('review:session')}?s={sitting.sign()}"


def _question_page(
    request, sitting, *, now, card=None, step=None, chosen=(), error=None, status=200
):
    if card is None and sitting.plan:
        card = sessions.next_card(request.user, sitting, now=now)
    if card is None:
        return _finished(request, sitting, now=now)
    if step is None or step.card != card.pk:
        step = sessions.step_for(sitting, card, now=now)
    question = card.question
    lesson = question.quiz.lesson
    context = {
        "sitting": sitting,
        "card": card,
        "question": question,
        "lesson": lesson,
        "course": lesson.course,
        "choices": sessions.shown_choices(card, question.choices.all(), step.version),
        "chosen": set(chosen),
        "token": step.sign(),
        "number": sitting.done + 1,
        "error": error,
    }
    return render(request, "review/question.html", context, status=status)


def _finished(request, sitting, *, now):
    """The end of a sitting, or a review with nothing due: what comes next."""
    lesson = None
    if sitting.is_practice:
        lesson = Lesson.objects.select_related("course").filter(pk=sitting.lesson).first()
        summary = None
    else:
        summary = _summary(request, now)
    context = {"sitting": sitting, "summary": summary, "lesson": lesson}
    return render(request, "review/finished.html", context)


@require_GET
@never_cache
@login_required
def session(request):
    """The next question of the sitting in `?s=`, or of a new review of what is due."""
    now = timezone.now()
    token, card = request.GET.get("s"), None
    if token:
        try:
            sitting = sessions.read_sitting(token)
        except AnswerRejected as rejected:
            log_event("review_rejected", request, reason=rejected)
            return _refused(request, 400, str(rejected))
    else:
        sitting, card = sessions.start_review(request.user, now=now)
    return _question_page(request, sitting, now=now, card=card)


@require_GET
@never_cache
@login_required
def practice(request, course, lesson):
    """Practice a lesson's missed questions (or all, `?all=1`) before they are due."""
    lesson = get_object_or_404(
        Lesson.objects.published()
        .select_related("course")
        .defer("body", "body_html", "source_text"),
        course__slug=course,
        slug=lesson,
        course__published=True,
    )
    everything = request.GET.get("all") == "1"
    sitting = sessions.start_practice(request.user, lesson, everything=everything)
    if not sitting.plan:
        cards = sessions.practice_cards(request.user, lesson, everything=True).count()
        context = {"lesson": lesson, "course": lesson.course, "cards": cards, "all": everything}
        return render(request, "review/practice_empty.html", context)
    return _question_page(request, sitting, now=timezone.now())


@require_POST
@login_required
def answer(request):
    now = timezone.now()
    try:
        step = sessions.read_step(request.POST.get("step", ""))
    except AnswerRejected as rejected:
        log_event("review_rejected", request, reason=rejected)
        return _refused(request, 400, str(rejected))
    try:
        if request.content_type not in FORM_CONTENT_TYPES:
            raise AnswerRejected("Answers must be sent with the review page's form.")
        answered = sessions.answer(request.user, step, request.POST, now=now)
    except sessions.StaleAnswer as stale:
        # Sent before (a reload, another tab): the answer that counted stands.
        return _refused(request, 409, str(stale), step.sitting)
    except AnswerRejected as rejected:
        log_event("review_rejected", request, reason=rejected)
        return _question_page(
            request, step.sitting, now=now, step=step, error=str(rejected), status=400
        )
    url = reverse("review:answered", args=[answered.log.pk])
    return redirect(f"{url}?s={answered.sitting.sign()}")


@require_GET
@never_cache
@login_required
def answered(request, pk):
    """The feedback on one answer: right or not, the key, why, and where the text says so."""
    log = sessions.answered_log(request.user, pk)
    if log is None:
        raise Http404("No such answer of yours.")
    try:
        sitting = sessions.read_sitting(request.GET.get("s", ""))
    except AnswerRejected:
        sitting = None  # the feedback stands; "Next" starts afresh
    question = log.card.question
    chosen = set(log.selected)
    choices = sessions.shown_choices(log.card, question.choices.all(), log.shown_version)
    lesson = question.quiz.lesson
    context = {
        "log": log,
        "right": log.rating != Rating.AGAIN,
        "question": question,
        "choices": choices,
        "chosen": chosen,
        "lesson": lesson,
        "course": lesson.course,
        "sitting": sitting,
        "next_url": _continue_url(sitting),
        "due": log.card.due,
    }
    return render(request, "review/answered.html", context)
