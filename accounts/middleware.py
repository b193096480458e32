import time
import zoneinfo

from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import profiles, throttles


class SlidingSessionMiddleware:
    """Renew a signed-in session at most every few minutes, so that inactivity,
    not a fixed lifetime, ends it, without writing the session on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            # The database may be what failed: reading the user now would turn a
            # clear "please retry" into a bare error. Django saves no session then anyway.
            return response
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= settings.SESSION_RENEW_AFTER_SECONDS:
                session["renewed_at"] = now  # marks the session modified: saved with a new expiry
        return response


class LoginThrottleMiddleware:
    """Refuse log-ins from an address that failed too often across all usernames
    (accounts.throttles counts each failure), before any password is checked: a
    right password then must not tell a guesser anything either. django-axes locks
    one username from one address after far fewer failures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in {reverse("login"), reverse("admin:login")}:
            wait = throttles.retry_after("login_failed", throttles.client_address(request))
            if wait is not None:
                return throttles.too_many_requests(request, wait, "failed log-ins")
        return self.get_response(request)


def _from_session(request, key):
    """A value accounts.profiles keeps in the session, or None. A session the database
    cannot give now holds nothing here: the page that needs the user fails with its
    own clear 503, and /healthz still answers in its own words."""
    session = getattr(request, "session", None)
    try:
        return session.get(key) if session is not None else None
    except DatabaseError:
        return None


class TimeZoneMiddleware:
    """Show every date in the signed-in person's time zone, read from the session
    (accounts.profiles keeps it there), so that no request pays a query for it.
    Anyone else, or a zone that no longer exists, sees settings.TIME_ZONE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _from_session(request, profiles.TIME_ZONE_KEY)
        timezone.deactivate()  # a thread serves many people: never keep the last one's
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass  # removed from the tz database since it was chosen
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # nor leave this one's for whatever runs next here


class MustChangePasswordMiddleware:
    """Send a person who must choose a new password (a teacher gave them a one-time
    one) to the password change page from every page but those they need to do it
    or to leave. The flag is read from the session: no query on any request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The session is checked first: only a flagged session reads the user.
        flagged = _from_session(request, profiles.MUST_CHANGE_PASSWORD_KEY)
        if flagged and request.user.is_authenticated:
            if not self._exempt(request.path):
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        pages = {reverse(name) for name in ("password_change", "password_change_done", "logout")}
        return path in pages or path == reverse("healthz") or path.startswith(settings.STATIC_URL)
