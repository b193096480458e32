"""A person's profile, made on demand, and the two facts every request needs from it
(time zone, must change password), kept in the session so that reading them costs
no query: written at log-in and whenever they change, read by accounts.middleware."""

import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Profile

TIME_ZONE_KEY = "accounts.time_zone"
MUST_CHANGE_PASSWORD_KEY = "accounts.must_change_password"

# In the list Python gives, but no place a person lives: "localtime" is whatever the
# server's clock is set to, "Factory" a placeholder of the tz database.
NOT_A_PLACE = {"localtime", "Factory", "posixrules"}


def profile_for(user):
    """The user's profile, made now if they have none yet: for changing it."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def set_time_zone(user, time_zone):
    """Keep the user's time zone ("" for the site's default), making the profile if need be."""
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    return profile


def current_profile(user):
    """The user's profile, or an unsaved one with the defaults: for reading it, so
    that a page that only shows it writes nothing."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@functools.cache
def time_zone_choices():
    """Every time zone, grouped by region (the part before the first '/') for the
    select; the empty choice is the site's default."""
    groups = {}
    for name in sorted(zoneinfo.available_timezones() - NOT_A_PLACE):
        region, _, place = name.partition("/")
        region, place = (region, place) if place else ("Other", name)
        groups.setdefault(region, []).append((name, place.replace("_", " ")))
    other = groups.pop("Other", [])
    return [
        ("", f"The site's default ({settings.TIME_ZONE})"),
        *groups.items(),
        ("Other", other),
    ]


def remember_time_zone(session, time_zone):
    if time_zone:
        session[TIME_ZONE_KEY] = time_zone
    else:
        session.pop(TIME_ZONE_KEY, None)


def remember_must_change_password(session, must_change):
    if must_change:
        session[MUST_CHANGE_PASSWORD_KEY] = True
    else:
        session.pop(MUST_CHANGE_PASSWORD_KEY, None)


def password_chosen(user):
    """The user chose a new password themselves: they no longer must change it."""
    Profile.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


@receiver(user_logged_in)
def remember_profile_at_login(sender, request, user, **kwargs):
    # Connected in AccountsConfig.ready(). Reads, never creates: most people have no
    # profile until they save one.
    if request is None or getattr(request, "session", None) is None:
        return
    row = Profile.objects.filter(user=user).values("time_zone", "must_change_password").first()
    row = row or {"time_zone": "", "must_change_password": False}
    remember_time_zone(request.session, row["time_zone"])
    remember_must_change_password(request.session, row["must_change_password"])
