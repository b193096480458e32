"""Per-address limits on what can hurt people when done in bulk: making accounts,
guessing class codes, trying passwords across many accounts.

Counts live in Django's cache, one counter per kind, address and fixed window
(settings.THROTTLES: kind -> (count, seconds)). The default local-memory cache
counts per process: several app servers need a shared cache to share the counts.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

from config.http import wants_json

from .security_log import log_event


def client_address(request):
    """The address a request comes from. Behind a trusted proxy (settings.TRUSTED_PROXIES)
    that is the address the proxy saw, the last one of X-Forwarded-For; otherwise
    REMOTE_ADDR, because a client can write any header it likes."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        try:
            return str(ipaddress.ip_address(hops[-1].strip()))
        except ValueError:
            pass  # no address, or not one: count the request against the proxy
    return remote


def _bucket(address):
    # One IPv6 subscriber gets a whole /64: counting single addresses would let one
    # client take as many as it likes.
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _window(kind, address, now):
    limit, seconds = settings.THROTTLES[kind]
    start = int(now // seconds) * seconds
    key = f"throttle:{kind}:{_bucket(address)}:{start}"
    return key, limit, seconds, math.ceil(start + seconds - now)


def retry_after(kind, address, *, now=None):
    """Seconds until `address` may do `kind` again; None when it may now."""
    key, limit, _, wait = _window(kind, address, time.time() if now is None else now)
    return wait if cache.get(key, 0) >= limit else None


def hit(kind, address, *, now=None):
    """Count one `kind` from `address`. Returns the seconds to wait when this one is over
    the limit (the caller refuses it), None when it is allowed."""
    key, limit, seconds, wait = _window(kind, address, time.time() if now is None else now)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(key, 1, timeout=seconds)
        count = 1
    return wait if count > limit else None


def too_many_requests(request, seconds, what):
    """A throttle's refusal, 429: what was refused and when to retry."""
    minutes = max(1, math.ceil(seconds / 60))
    message = (
        f"Too many {what} from your network. "
        f"Try again in {minutes} minute{'' if minutes == 1 else 's'}."
    )
    log_event("throttled", request, what=what, ip=client_address(request))
    if wants_json(request):
        response = JsonResponse({"saved": False, "error": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    # Connected in AccountsConfig.ready(). Checked by
    # accounts.middleware.LoginThrottleMiddleware.
    if request is not None:
        hit("login_failed", client_address(request))
