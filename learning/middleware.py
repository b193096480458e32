import time

from django.conf import settings


class SlidingSessionMiddleware:
    """Renew a signed-in session at most every few minutes, so that inactivity,
    not a fixed lifetime, ends it, without writing the session on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= settings.SESSION_RENEW_AFTER_SECONDS:
                session["renewed_at"] = now  # marks the session modified: saved with a new expiry
        return response
