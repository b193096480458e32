import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import throttles
from .forms import SignupForm


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
            return throttles.too_many_requests(request, wait, "new accounts")
        user = form.save()
        login(request, user, backend="accounts.backends.PermissionsInOneQueryBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return _back(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out page: a 429 that says how long to wait, in minutes."""
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    minutes = math.ceil(seconds / 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response
