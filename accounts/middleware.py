import time

from django.conf import settings
from django.urls import reverse

from . import throttles


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
