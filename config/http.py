"""Answers any room may give when it refuses a request. Imports no room, so every
room (and the middleware in front of them all) can use it."""

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string


def wants_json(request):
    """The background save asks for JSON; every other request gets a page."""
    return "application/json" in request.headers.get("Accept", "")


def error_page(request, status, message, *, template="error_base.html", heading=""):
    """A page for when something failed. It reads neither the session nor the database
    (no request in its context), so it renders while either is gone."""
    context = {
        "heading": heading,
        "message": message,
        "retry_url": request.get_full_path() if request.method == "GET" else "",
    }
    try:
        return HttpResponse(render_to_string(template, context), status=status)
    except Exception:  # the last answer there is must not fail: plain text then
        return HttpResponse(message, content_type="text/plain", status=status)


def refusal(request, status, message, **page):
    """JSON for the background save (it shows `error` after "Not saved:"), else a page."""
    if wants_json(request):
        return JsonResponse({"saved": False, "error": message}, status=status)
    return error_page(request, status, message, **page)
