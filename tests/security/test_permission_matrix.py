"""Every URL of the site against every persona, generated from the URL configuration.

The table below says what each persona gets from each page, by GET and by POST.
A page added to the URLconf but not to the table fails `test_every_page_is_in_the_table`,
so a new page cannot be forgotten. A refusal (login, 403, 404, 405) must change nothing.
"""

import pytest
from django.urls import reverse

from tests.security.conftest import (
    PERSONAS,
    address,
    client_as,
    paper,
    rolled_back,
    snapshot,
    url_patterns,
)

LOGIN = "302 to login"
ONWARD = "302 on site"  # done, and sent on to a page of this site

ROUTES = {name: params for name, _route, params in url_patterns()}


def everyone(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome):
    return {**everyone(outcome), "anonymous": LOGIN}


def owner(outcome):
    """Only the student whose attempt it is; staff too get a 404 for someone else's work."""
    return {**everyone(404), "anonymous": LOGIN, "student": outcome}


def teachers(outcome):
    return {
        "anonymous": LOGIN,
        "student": 403,
        "other_student": 403,
        **dict.fromkeys(["teacher", "other_teacher", "staff"], outcome),
    }


def teacher_of_the_class(outcome):
    """The class's teacher and staff; another teacher gets a 404, students a 403."""
    return {**teachers(outcome), "other_teacher": 404}


ANONYMOUS_ONLY = {**everyone(ONWARD), "anonymous": 200}

EXPECTED = {
    "home": {"GET": everyone(200), "POST": everyone(405)},
    "healthz": {"GET": everyone(200), "POST": everyone(405)},
    "login": {"GET": ANONYMOUS_ONLY, "POST": ANONYMOUS_ONLY},
    "logout": {"GET": everyone(405), "POST": everyone(ONWARD)},
    "signup": {"GET": ANONYMOUS_ONLY, "POST": ANONYMOUS_ONLY},
    "password_change": {"GET": signed_in(200), "POST": signed_in(200)},
    "password_change_done": {"GET": signed_in(200), "POST": signed_in(405)},
    "learning:course": {"GET": everyone(200), "POST": everyone(405)},
    "learning:lesson": {"GET": everyone(200), "POST": everyone(405)},
    "quizzes:quiz": {"GET": everyone(200), "POST": everyone(405)},
    "quizzes:start": {"GET": everyone(405), "POST": signed_in(ONWARD)},
    "quizzes:attempt": {"GET": owner(200), "POST": everyone(405)},
    "quizzes:save": {"GET": everyone(405), "POST": owner(ONWARD)},
    "quizzes:submit": {"GET": everyone(405), "POST": owner(ONWARD)},
    "quizzes:result": {"GET": owner(200), "POST": everyone(405)},
    "quizzes:report": {"GET": everyone(405), "POST": owner(ONWARD)},
    "quizzes:progress": {"GET": signed_in(200), "POST": everyone(405)},
    # Review and practice: a learner's own cards; an answer without its page's form is
    # refused (400), and a feedback page is its learner's alone.
    "review:session": {"GET": signed_in(200), "POST": everyone(405)},
    "review:answer": {"GET": everyone(405), "POST": signed_in(400)},
    "review:answered": {"GET": owner(200), "POST": everyone(405)},
    "review:practice": {"GET": signed_in(200), "POST": everyone(405)},
    "teaching:join": {"GET": signed_in(200), "POST": signed_in(ONWARD)},
    "teaching:teach": {"GET": teachers(200), "POST": everyone(405)},
    "teaching:class_create": {"GET": teachers(200), "POST": teachers(ONWARD)},
    "teaching:class_grid": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:class_edit": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
    "teaching:regenerate_code": {"GET": everyone(405), "POST": teacher_of_the_class(ONWARD)},
    "teaching:remove_student": {"GET": everyone(405), "POST": teacher_of_the_class(ONWARD)},
    "teaching:class_csv": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:student_record": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:stats": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    # Accounts: the profile, and password reset by email (the same answer for anyone,
    # so it tells no one which accounts exist).
    "profile": {"GET": signed_in(200), "POST": signed_in(ONWARD)},
    "password_reset": {"GET": everyone(200), "POST": everyone(400)},
    "password_reset_done": {"GET": everyone(200), "POST": everyone(405)},
    "password_reset_confirm": {"GET": everyone(ONWARD), "POST": everyone(ONWARD)},
    "password_reset_complete": {"GET": everyone(200), "POST": everyone(405)},
    # A student's own classes: only their own enrollment can be left.
    "teaching:my_classes": {"GET": signed_in(200), "POST": everyone(405)},
    "teaching:leave_class": {"GET": owner(200), "POST": owner(ONWARD)},
    # Teachers acting on a class: a confirmation page by GET, the act by POST.
    "teaching:archived_classes": {"GET": teachers(200), "POST": everyone(405)},
    "teaching:archive_class": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
    "teaching:restore_class": {"GET": everyone(405), "POST": teacher_of_the_class(ONWARD)},
    "teaching:confirm_code": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:confirm_remove": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:due_dates": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
    "teaching:roster": {"GET": teacher_of_the_class(200), "POST": teacher_of_the_class(ONWARD)},
    "teaching:new_passwords": {"GET": teacher_of_the_class(200), "POST": everyone(405)},
    "teaching:grant_attempts": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
    # The world's student still has attempts left: a new attempt is refused (409).
    "teaching:new_attempt": {"GET": teacher_of_the_class(200), "POST": teacher_of_the_class(409)},
    "teaching:close_attempt": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
    "teaching:reset_password": {
        "GET": teacher_of_the_class(200),
        "POST": teacher_of_the_class(ONWARD),
    },
}

# Pages with a student's answers, scores or names: never kept in a browser's cache,
# so Back after logging out on a shared computer shows nothing.
PRIVATE = {
    "quizzes:attempt": "student",
    "quizzes:result": "student",
    "review:session": "student",
    "review:answered": "student",
    "teaching:teach": "teacher",
    "teaching:class_grid": "teacher",
    "teaching:class_csv": "teacher",
    "teaching:student_record": "teacher",
    "teaching:stats": "teacher",
    "teaching:roster": "teacher",
    "teaching:new_passwords": "teacher",
    "teaching:reset_password": "teacher",
    "profile": "student",
}


def post_data(world, name):
    """What the page's own form would send: a refusal must not depend on a bad body."""
    (q1, c1), *_ = paper(world.attempt)
    return {
        "quizzes:save": {"shown": q1, f"q{q1}": c1[0]},
        "quizzes:submit": {"confirm": "yes"},
        "quizzes:report": {"question": paper(world.graded)[0][0], "reason": "typo"},
        "teaching:join": {"code": world.classroom.join_code},
        "teaching:class_create": {"name": "A new class", "courses": [world.course.pk]},
        "teaching:class_edit": {"name": "Renamed", "courses": [world.course.pk]},
        "teaching:grant_attempts": {"count": 1},
        "teaching:roster": {"names": "Ada Lovelace\nGrace Hopper"},
    }.get(name, {})


def test_every_page_is_in_the_table():
    assert set(ROUTES) - set(EXPECTED) == set(), "add the new page to EXPECTED"
    assert set(EXPECTED) - set(ROUTES) == set(), "a page in EXPECTED no longer exists"


def outcome_of(response):
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        return LOGIN if location.startswith(reverse("login") + "?next=") else ONWARD
    return response.status_code


REFUSED = (LOGIN, 403, 404, 405)
MESSAGES = {403: "You do not have access to this page.", 404: "Page not found"}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permissions(world, name, method):
    if name not in ROUTES:
        pytest.fail(f"{name} is in the table but not in the URLconf")
    url = address(world, name, ROUTES[name])
    outcomes, problems = {}, []

    for persona in PERSONAS:
        with rolled_back():  # what one persona did is undone before the next
            client = client_as(world, persona)
            before = snapshot()
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, post_data(world, name))
            outcomes[persona] = outcome = outcome_of(response)
            if outcome in REFUSED and snapshot() != before:
                problems.append(f"{persona}: refused, yet the database changed")
            if outcome in MESSAGES and MESSAGES[outcome] not in response.content.decode():
                problems.append(f"{persona}: the {outcome} page lacks its message")

    assert outcomes == EXPECTED[name][method]
    assert problems == []


@pytest.mark.parametrize("name", sorted(PRIVATE))
def test_private_pages_are_never_cached(world, name):
    client = client_as(world, PRIVATE[name])

    response = client.get(address(world, name, ROUTES[name]))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
