"""Per-address limits on what can hurt people when done in bulk: making accounts,
guessing class codes, trying passwords across many accounts.

Counts live in Django's cache, one counter per kind, address and fixed window
(settings.THROTTLES: kind -> (count, seconds)). The default local-memory cache
counts per process; with REDIS_URL, every app server shares the counts. While Redis
is down the counts are lost and nothing is refused (config/settings.py says why).
"""

import functools
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


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


def _from_trusted_proxy(remote):
    """Whether the peer is a proxy whose X-Forwarded-For is believed: one named in
    settings.TRUSTED_PROXIES or, when none is named, any peer of a site that says it is
    BEHIND_PROXY (its app servers reachable from the proxy alone)."""
    if not settings.TRUSTED_PROXIES:
        return settings.BEHIND_PROXY
    try:
        ip = ipaddress.ip_address(remote)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # an IPv4 peer seen by a dual-stack server
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request):
    """The address a request comes from, for the throttles and django-axes.

    From a trusted proxy, the entry of X-Forwarded-For that the outermost of the
    TRUSTED_PROXY_COUNT proxies wrote: each appends the address it saw, so that entry
    is the COUNT-th from the right. Anything left of it came from the client, which can
    write what it likes, and is never read. Otherwise, and when the header is shorter
    than the proxies in front or holds no address there, REMOTE_ADDR: counted against
    the proxy rather than against an address someone wrote."""
    remote = request.META.get("REMOTE_ADDR", "")
    if _from_trusted_proxy(remote):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        count = settings.TRUSTED_PROXY_COUNT
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count].strip()))
            except ValueError:
                pass
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
