"""Redis for the shared-state tests: the real one at REDIS_TEST_URL (a database of its
own, redis://127.0.0.1:6379/15 by default), or one that is down."""

import os
import uuid

import pytest
import redis
from redis.exceptions import RedisError

DEFAULT_URL = "redis://127.0.0.1:6379/15"
DOWN_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused
CACHED_DB = "django.contrib.sessions.backends.cached_db"


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }


def another_server(settings):
    """Drop this process's cache connections, as a second app server starts without them:
    whatever is read next comes from Redis or the database."""
    settings.CACHES = {**settings.CACHES}


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_TEST_URL") or DEFAULT_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except RedisError as error:
        if os.environ.get("REDIS_TEST_URL"):  # asked for (CI): a failure, not a skip
            pytest.fail(f"REDIS_TEST_URL={url} does not answer: {error}")
        pytest.skip(f"no Redis answers at {url} ({error}); set REDIS_TEST_URL to one that does")
    return url


@pytest.fixture
def redis_server(redis_url):
    """A plain client of the test database, to look behind the cache."""
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def shared_state(settings, redis_url, redis_server):
    """The site on Redis, as with REDIS_URL set. Its keys carry a prefix of their own,
    so that test runs side by side never meet (instead of a flush, which would empty
    the database under another run), and are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = redis_cache(redis_url, prefix)
    settings.SESSION_ENGINE = CACHED_DB
    yield prefix
    for key in redis_server.scan_iter(f"{prefix}:*"):
        redis_server.delete(key)


@pytest.fixture
def redis_down(settings):
    """The site on a Redis that is not there."""
    settings.CACHES = redis_cache(DOWN_URL, "down")
    settings.SESSION_ENGINE = CACHED_DB
