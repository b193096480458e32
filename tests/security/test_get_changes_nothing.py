"""No state change over GET: every page, as every persona, leaves every table as it was.

Two writes are expected and allowed: a lesson page remembers that a signed-in
learner read it (LessonProgress visit times), and sessions are renewed. The
attempt page also grades an attempt whose time is already up; that is what the
deadline decided, and tests/security/test_time_limits.py covers it.
"""

import pytest

from learning.models import LessonProgress
from tests.security.conftest import (
    PERSONAS,
    address,
    client_as,
    rolled_back,
    snapshot,
    url_patterns,
)

ROUTES = [(name, params) for name, _route, params in url_patterns()]
VISIT_FIELDS = {"first_viewed_at", "last_viewed_at", "last_activity_at", "id"}


def progress_without_visits():
    return {
        (row["user_id"], row["lesson_id"]): {k: v for k, v in row.items() if k not in VISIT_FIELDS}
        for row in LessonProgress.objects.values()
    }


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[name for name, _ in ROUTES])
def test_get_changes_nothing(world, name, params):
    url = address(world, name, params)
    changed = []

    for persona in PERSONAS:
        with rolled_back():
            client = client_as(world, persona)
            before = snapshot(skip={"learning.lessonprogress"})
            progress = progress_without_visits()

            response = client.get(url)

            assert response.status_code in (200, 302, 403, 404, 405)
            after = progress_without_visits()
            if name == "learning:lesson" and persona != "anonymous":
                visit = (getattr(world, persona).pk, world.lesson.pk)
                new = after.pop(visit)
                if progress.pop(visit, new) != new:
                    changed.append(f"{persona}: a visit changed more than its times")
            if snapshot(skip={"learning.lessonprogress"}) != before or after != progress:
                changed.append(f"{persona}: GET changed the database")

    assert changed == []


def test_a_lesson_visit_only_sets_visit_times(world):
    client = client_as(world, "other_student")

    client.get(world.lesson.get_absolute_url())

    row = LessonProgress.objects.get(user=world.other_student, lesson=world.lesson)
    assert row.first_viewed_at is not None
    assert (row.attempts_submitted, row.best_score, row.passed_at) == (0, None, None)
