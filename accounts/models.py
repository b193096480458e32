"""What a person keeps beside Django's user: their time zone, and whether they must
choose a new password (after a teacher made their account or reset it)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value):
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a time zone; choose one from the list.")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Every date is shown in this time zone; empty for the site's default.",
    )
    must_change_password = models.BooleanField(
        default=False,
        help_text="Set when a teacher gives a one-time password: the next sign-in asks "
        "for a new one before anything else.",
    )

    def __str__(self):
        return f"Profile of {self.user}"
