"""One line per security event, with the user and path, never a password.

Values are escaped so that user input (a username with a newline, say)
cannot forge a second log line.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("security")


def _clean(value, limit=200):
    text = str(value)[:limit]
    return text.encode("unicode_escape").decode("ascii").replace('"', '\\"')


def log_event(event, request=None, *, username=None, **details):
    user = username
    if user is None and request is not None:
        current = getattr(request, "user", None)
        user = current.get_username() if current and current.is_authenticated else "-"
    fields = [f"event={event}", f'user="{_clean(user or "-")}"']
    if request is not None:
        fields.append(f'path="{_clean(request.path)}"')
        fields.append(f"method={_clean(request.method, 10)}")
    fields += [f'{key}="{_clean(value)}"' for key, value in details.items()]
    logger.warning(" ".join(fields))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password scrubbed by Django; only the username is kept.
    log_event("login_failed", request, username=credentials.get("username", "-"))


@receiver(user_locked_out)
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    log_event("locked_out", request, username=username or "-", ip=ip_address or "-")


def lockout_username(request, credentials=None):
    """The username django-axes counts failures against, cut to the 255 characters
    it stores: no account has a longer name, and PostgreSQL refuses a longer value."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return None if username is None else str(username)[:255]
