"""The site's error views: Django's 400/403/404/500 handlers and the CSRF failure view.
A 500 caused by the database is answered as a 503 "please retry"."""

import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

from accounts.security_log import log_event

from .http import error_page, refusal, wants_json

BAD_REQUEST = "The request could not be read: reload the page and try again."
OUT_OF_DATE = "This page was out of date, so nothing was saved. Reload it and try again."

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


def bad_request(request, exception=None):
    # A body too large, too many fields, a broken multipart body, a forged Host:
    # Django refused it before any view ran, so nothing changed.
    log_event("bad_request", request, reason=type(exception).__name__)
    if wants_json(request):
        return refusal(request, 400, BAD_REQUEST)
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form from an old tab or an expired session: say how to recover."""
    log_event("csrf_failed", request, reason=reason)
    if wants_json(request):
        return refusal(request, 403, OUT_OF_DATE)
    return render(request, "403.html", {"message": OUT_OF_DATE}, status=403)


def permission_denied(request, exception=None):
    log_event("access_denied", request)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 handler; a 503 "please retry" when the database is locked or gone.

    It runs while an exception is handled, which may be the database or the session
    failing, so it reads neither: its pages render without the request or its user."""
    exception = sys.exc_info()[1]
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return refusal(request, 500, SERVER_ERROR, template="500.html")
    # A write that met a locked SQLite database after the busy timeout, or a database
    # that cannot be reached, was rolled back whole: the honest answer is "retry".
    short, long, retry = DATABASE_BUSY if "locked" in str(exception).lower() else DATABASE_DOWN
    if wants_json(request):
        response = refusal(request, 503, short)
    else:
        response = error_page(request, 503, long, template="503.html")
    response["Retry-After"] = str(retry)
    return response
