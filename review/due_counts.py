"""The navigation's "due now" count, kept in the cache between a learner's pages.

Every page shows the count, and counting is a query over the learner's cards: the
summary (cards due now, the next due time) is cached per learner, and stays true
until that next due time passes or the learner answers again (record_answers forgets
it). What else moves it (an editor approving a question, a teacher granting an
attempt) shows within CACHE_SECONDS.
"""

from django.core.cache import cache
from django.db import transaction

CACHE_SECONDS = 300


def _key(user_id):
    return f"review:due:{user_id}"


def cached(user_id, now):
    """(count, next due) as last counted, or None when it may be out of date at `now`."""
    found = cache.get(_key(user_id))
    if found is None:
        return None
    count, next_due = found
    if next_due is not None and next_due <= now:
        return None  # a card has fallen due since
    return count, next_due


def remember(user_id, count, next_due):
    cache.set(_key(user_id), (count, next_due), CACHE_SECONDS)


def forget_due_summary(user_id):
    """Drop the learner's count now and once the answers' transaction commits, so that
    a page counting meanwhile cannot keep the count from before them."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
