import math

from axes.utils import reset as lift_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import profiles, throttles
from .forms import NameAndEmailForm, SignupForm, TimeZoneForm
from .security_log import log_event


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


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def profile(request):
    data = request.POST if request.method == "POST" else None
    saved = profiles.current_profile(request.user)
    name_form = NameAndEmailForm(data, instance=request.user)
    zone_form = TimeZoneForm(data, initial={"time_zone": saved.time_zone})
    if data is not None:
        # Both forms are checked, so that every mistake is shown at once.
        if all([name_form.is_valid(), zone_form.is_valid()]):
            time_zone = zone_form.cleaned_data["time_zone"]
            with transaction.atomic():
                # Only these fields: a password changed meanwhile (by a teacher) stays.
                name_form.save(commit=False).save(update_fields=NameAndEmailForm.Meta.fields)
                profiles.set_time_zone(request.user, time_zone)
            profiles.remember_time_zone(request.session, time_zone)
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    status = 400 if name_form.errors or zone_form.errors else 200
    context = {"name_form": name_form, "zone_form": zone_form}
    return render(request, "accounts/profile.html", context, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, which also says why when the password must be changed, and then
    lets the person go everywhere again."""

    def get_context_data(self, **kwargs):
        must_change = self.request.session.get(profiles.MUST_CHANGE_PASSWORD_KEY, False)
        return super().get_context_data(must_change=must_change, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        profiles.password_chosen(form.user)
        profiles.remember_must_change_password(self.request.session, False)
        log_event("password_changed", self.request)
        return response


class RefuseBadInput:
    """A form sent with mistakes answers 400 (Django's views answer 200), with the
    form and its messages."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetView(RefuseBadInput, auth_views.PasswordResetView):
    """Django's, limited per address so that nobody can use it to flood an inbox.
    Every valid request counts, known address or not, so the limit tells nothing
    about which addresses have accounts."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        wait = throttles.hit("password_reset", throttles.client_address(self.request))
        if wait is not None:
            return throttles.too_many_requests(self.request, wait, "password reset requests")
        self.extra_email_context = {
            "valid_hours": math.ceil(settings.PASSWORD_RESET_TIMEOUT / 3600)
        }
        return super().form_valid(form)


class PasswordResetConfirmView(RefuseBadInput, auth_views.PasswordResetConfirmView):
    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            response.status_code = 400  # a used, expired or mangled link: the page says so
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        profiles.password_chosen(form.user)
        log_event("password_reset", self.request, username=form.user.get_username())
        # Whoever set this password holds the account's inbox: a lock-out from earlier
        # wrong guesses no longer protects anyone, and would keep them waiting.
        lift_lockouts(username=form.user.get_username())
        return response
