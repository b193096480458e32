import math
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import throttles
from .access import get_course_for_user, get_lesson_for_user
from .extensions import lesson_panels_for
from .forms import SignupForm
from .http import wants_json
from .models import Course, Lesson
from .progress import LONG_LESSON_FIELDS, course_progress, record_visit
from .security_log import log_event


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse("database unavailable", content_type="text/plain", status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request):
    courses = Course.objects.published().defer("source_text")
    progress = course_progress(request.user, courses)
    return render(request, "learning/home.html", {"progress": progress})


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
    return render(request, "learning/course.html", {"course": course, "progress": progress})


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


def _safe_next(request):
    """The page to return to after signing up: a path on this site, or nothing."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: a bare word ("progress") or an encoded address is no page of this site.
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _back(next_url):
    # Not redirect(next_url): it would first try the user's text as a view name.
    return HttpResponseRedirect(next_url) if next_url else redirect("home")


def signup(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return _back(next_url)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only accounts that would be made are counted: a class's typos cost nothing.
        wait = throttles.hit("signup", throttles.client_address(request))
        if wait is not None:
            return too_many_requests(request, wait, "new accounts")
        user = form.save()
        login(request, user, backend="accounts.backends.PermissionsInOneQueryBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return _back(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


BAD_REQUEST = "The request could not be read: reload the page and try again."


def bad_request(request, exception=None):
    # A body too large, too many fields, a broken multipart body, a forged Host:
    # Django refused it before any view ran, so nothing changed.
    log_event("bad_request", request, reason=type(exception).__name__)
    if wants_json(request):
        return JsonResponse({"saved": False, "error": BAD_REQUEST}, status=400)
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form from an old tab or an expired session: say how to recover."""
    log_event("csrf_failed", request, reason=reason)
    message = "This page was out of date, so nothing was saved. Reload it and try again."
    if wants_json(request):
        return JsonResponse({"saved": False, "error": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def permission_denied(request, exception=None):
    log_event("access_denied", request)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out page: a 429 that says how long to wait, in minutes."""
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    minutes = math.ceil(seconds / 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def too_many_requests(request, seconds, what):
    """A throttle's refusal (learning.throttles): what was refused and when to retry."""
    minutes = max(1, math.ceil(seconds / 60))
    message = (
        f"Too many {what} from your network. "
        f"Try again in {minutes} minute{'' if minutes == 1 else 's'}."
    )
    log_event("throttled", request, what=what, ip=throttles.client_address(request))
    if wants_json(request):
        response = JsonResponse({"saved": False, "error": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


# What a request that met the database failing is told: in JSON (the background save
# shows it after "Not saved:"), on the page, and when to retry (seconds).
DATABASE_BUSY = (
    "Server busy: please retry.",
    "The server is busy right now and did not save this request. "
    "Nothing you saved before is lost: go back and try again in a moment.",
    1,
)
DATABASE_DOWN = (
    "The site cannot reach its database just now, so this was not saved. Try again in a minute.",
    "The site cannot reach its database just now, so this request was not saved. "
    "Nothing you saved before is lost: try again in a minute.",
    30,
)
SERVER_ERROR = "Something went wrong on our side, so this was not saved. Try again in a moment."


def server_error(request):
    """The 500 handler; a 503 "please retry" when the database is locked or gone.

    It runs while an exception is handled, which may be the database or the session
    failing, so it reads neither: its pages render without the request or its user."""
    exception = sys.exc_info()[1]
    if not isinstance(exception, (OperationalError, InterfaceError)):
        if wants_json(request):
            return JsonResponse({"saved": False, "error": SERVER_ERROR}, status=500)
        return _error_page(request, 500, SERVER_ERROR)
    # A write that met a locked SQLite database after the busy timeout, or a database
    # that cannot be reached, was rolled back whole: the honest answer is "retry".
    short, long, retry = DATABASE_BUSY if "locked" in str(exception).lower() else DATABASE_DOWN
    if wants_json(request):
        response = JsonResponse({"saved": False, "error": short}, status=503)
    else:
        response = _error_page(request, 503, long)
    response["Retry-After"] = str(retry)
    return response


def _error_page(request, status, message):
    context = {
        "message": message,
        "retry_url": request.get_full_path() if request.method == "GET" else "",
    }
    try:
        return HttpResponse(render_to_string(f"{status}.html", context), status=status)
    except Exception:  # the last answer there is must not fail: plain text then
        return HttpResponse(message, content_type="text/plain", status=status)
