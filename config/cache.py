"""Django's Redis cache, made forgiving: when Redis is down or slow, the site loses its
cache, never a page.

Django's RedisCache raises on a connection error, and nearly every page reads the cache
(the session with cached_db, the navigation's due count, the throttles), so an outage
would be an error page everywhere. ForgivingRedisCache instead:

- answers a failed read with a miss (the caller's default) and skips a failed write,
  logging one warning line per outage, not one per call;
- gives up connecting or reading after TIMEOUT_SECONDS, so a Redis that stops answering
  costs a request a fraction of a second rather than holding a worker;
- after a failure, leaves Redis alone for RETRY_SECONDS: a page makes several cache
  calls, and each would otherwise wait out the timeout again;
- deletes, once Redis answers again, every key whose write or delete failed: Redis may
  still hold the value from before (say, the session of someone who logged out during
  the outage, which cached_db removed from the database only), and it must not return.
  The keys are remembered in this process: one restarted meanwhile has forgotten them,
  and such a session lives on until it expires (DJANGO_SESSION_IDLE_SECONDS).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 0.25  # Redis answers in well under a millisecond on a working network
EVERY_KEY = object()


class ForgivingRedisClient(RedisCacheClient):
    RETRY_SECONDS = 5
    # Past this many keys to forget, forgetting them all (a flush) is simpler and as safe:
    # everything in the cache can be rebuilt, sessions from the database.
    MAX_STALE_KEYS = 10_000

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._failed_at = None  # when Redis last failed, while it has not answered since
        self._stale_keys = set()
        self._flush_when_back = False

    def _forgiving(self, operation, fallback, *args, writes=()):
        failed_at = self._failed_at
        if failed_at is not None and time.monotonic() - failed_at < self.RETRY_SECONDS:
            self._remember_stale(writes)
            return fallback
        try:
            self._forget_stale()
            result = operation(*args)
        except RedisError as error:
            if failed_at is None:
                logger.warning("Redis failed (%s): serving without the cache for now.", error)
            self._failed_at = time.monotonic()
            self._remember_stale(writes)
            return fallback
        if failed_at is not None:
            logger.info("Redis answers again.")
            self._failed_at = None
        return result

    def _remember_stale(self, keys):
        if keys is EVERY_KEY or len(self._stale_keys) + len(keys) > self.MAX_STALE_KEYS:
            self._flush_when_back = True
            self._stale_keys.clear()
        elif not self._flush_when_back:
            self._stale_keys.update(keys)

    def _forget_stale(self):
        if self._flush_when_back:
            super().clear()
            self._flush_when_back = False
        elif self._stale_keys:
            super().delete_many(list(self._stale_keys))
            self._stale_keys.clear()

    def add(self, key, value, timeout):
        return self._forgiving(super().add, False, key, value, timeout, writes=[key])

    def get(self, key, default):
        return self._forgiving(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._forgiving(super().set, None, key, value, timeout, writes=[key])

    def touch(self, key, timeout):
        return self._forgiving(super().touch, False, key, timeout)

    def delete(self, key):
        return self._forgiving(super().delete, False, key, writes=[key])

    def get_many(self, keys):
        return self._forgiving(super().get_many, {}, keys)

    def has_key(self, key):
        return self._forgiving(super().has_key, False, key)

    def incr(self, key, delta):
        # Counted as though the key were new. A key that is simply missing still raises
        # ValueError, as Django's contract says: that is Redis answering, not failing.
        return self._forgiving(super().incr, delta, key, delta, writes=[key])

    def set_many(self, data, timeout):
        return self._forgiving(super().set_many, None, data, timeout, writes=list(data))

    def delete_many(self, keys):
        return self._forgiving(super().delete_many, None, keys, writes=list(keys))

    def clear(self):
        return self._forgiving(super().clear, False, writes=EVERY_KEY)


class ForgivingRedisCache(RedisCache):
    """RedisCache whose failures are cache misses. OPTIONS may set other timeouts."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": TIMEOUT_SECONDS,
            "socket_timeout": TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ForgivingRedisClient
