"""Per-address limits where bulk use hurts people: sign-up, join by code, and failed
log-ins across usernames. A whole class working from one school address never meets
them; a script does, and gets the site's 429 page saying when to retry."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts import throttles
from teaching.models import Enrollment
from tests.conftest import make_user
from tests.pages import visible_text

SCHOOL = "198.51.100.10"
ELSEWHERE = "203.0.113.50"
GOOD_PASSWORD = "treaty-lantern-47"


def limit(kind):
    return settings.THROTTLES[kind][0]


def sign_up(client, username):
    data = {"username": username, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("signup"), data)


def join(client, code):
    return client.post(reverse("teaching:join"), {"code": code})


def assert_refused(response, message):
    """The 429 page with `message`, saying when to retry, as Retry-After does."""
    assert response.status_code == 429
    page = visible_text(response)
    assert message in page
    seconds = int(response["Retry-After"])
    minutes = -(-seconds // 60)
    assert 0 < seconds <= 60 * 60
    assert f"Try again in {minutes} minute{'s' if minutes > 1 else ''}." in page


# ---------------------------------------------------------------- sign-up


def test_a_class_of_35_signs_up_from_one_school_address(db):
    for n in range(35):
        response = sign_up(Client(REMOTE_ADDR=SCHOOL), f"pupil{n}")
        assert response.status_code == 302, visible_text(response)

    assert User.objects.filter(username__startswith="pupil").count() == 35


def test_signups_beyond_the_limit_are_refused_and_make_no_account(db):
    for _ in range(limit("signup")):  # an hour's worth of accounts already made from here
        throttles.hit("signup", SCHOOL)

    refused = sign_up(Client(REMOTE_ADDR=SCHOOL), "one-too-many")
    elsewhere = sign_up(Client(REMOTE_ADDR=ELSEWHERE), "someone-else")

    assert_refused(refused, "Too many new accounts from your network.")
    assert not User.objects.filter(username="one-too-many").exists()
    assert elsewhere.status_code == 302
    assert User.objects.filter(username="someone-else").exists()


def test_the_signup_limit_counts_accounts_made_not_typos(db):
    client = Client(REMOTE_ADDR=SCHOOL)
    for _ in range(limit("signup") + 5):
        mistyped = client.post(
            reverse("signup"),
            {"username": "pupil", "password1": GOOD_PASSWORD, "password2": "other-password"},
        )
        assert mistyped.status_code == 200

    assert sign_up(client, "pupil").status_code == 302


# ---------------------------------------------------------------- join by code


@pytest.fixture
def classroom(teacher):
    from tests.teaching_data import make_class

    return make_class(teachers=[teacher], courses=[], students=[], name="Year 9 History")


def test_30_students_join_with_the_right_code_from_one_address_within_a_minute(classroom):
    for n in range(30):
        client = Client(REMOTE_ADDR=SCHOOL)
        client.force_login(make_user(f"pupil{n}"))
        typo = join(client, "WRONG-CODE") if n % 3 == 0 else None  # a third mistype first
        response = join(client, classroom.join_code)
        assert response.status_code == 302, visible_text(response)
        assert typo is None or typo.status_code == 400

    assert Enrollment.objects.filter(classroom=classroom).count() == 30


def test_the_wrong_code_after_the_limit_gets_the_429_page(student, classroom):
    client = Client(REMOTE_ADDR=SCHOOL)
    client.force_login(student)
    guesses = [join(client, f"GUESS{n:03}") for n in range(limit("join_failed"))]

    refused = join(client, "GUESS999")
    right_code_now = join(client, classroom.join_code)

    assert {g.status_code for g in guesses} == {400}
    assert_refused(refused, "Too many wrong class codes from your network.")
    # Refused even with the right code: otherwise the guessing would just go on.
    assert_refused(right_code_now, "Too many wrong class codes from your network.")
    assert not Enrollment.objects.filter(student=student).exists()


def test_wrong_codes_from_one_address_do_not_block_another(student, other_student, classroom):
    guesser = Client(REMOTE_ADDR=ELSEWHERE)
    guesser.force_login(other_student)
    for n in range(limit("join_failed") + 1):
        join(guesser, f"GUESS{n:03}")
    client = Client(REMOTE_ADDR=SCHOOL)
    client.force_login(student)

    assert join(client, classroom.join_code).status_code == 302


# ---------------------------------------------------------------- failed log-ins


def log_in(client, username, password="wrong-password"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_failed_log_ins_across_many_usernames_hit_the_address_limit(student):
    attacker = Client(REMOTE_ADDR=SCHOOL)
    # One try per username: django-axes' per-username lock never triggers.
    tries = [log_in(attacker, f"user{n}") for n in range(limit("login_failed"))]

    refused = log_in(attacker, "user-next")
    right_password = log_in(attacker, "alice", "pw-for-tests-1")
    elsewhere = Client(REMOTE_ADDR=ELSEWHERE)
    signed_in = log_in(elsewhere, "alice", "pw-for-tests-1")

    assert {t.status_code for t in tries} == {200}
    assert_refused(refused, "Too many failed log-ins from your network.")
    assert_refused(right_password, "Too many failed log-ins from your network.")
    assert SESSION_KEY not in attacker.session
    assert signed_in.status_code == 302
    assert elsewhere.session[SESSION_KEY] == str(student.pk)


def test_a_class_logging_in_with_some_typos_is_never_refused(db):
    pupils = [make_user(f"pupil{n}") for n in range(35)]
    for n, pupil in enumerate(pupils):
        client = Client(REMOTE_ADDR=SCHOOL)
        if n % 3 == 0:
            assert log_in(client, pupil.username, "pw-for-tests-l").status_code == 200
        assert log_in(client, pupil.username, "pw-for-tests-1").status_code == 302


def test_the_admin_log_in_counts_and_is_refused_too(student):
    attacker = Client(REMOTE_ADDR=SCHOOL)
    for n in range(limit("login_failed")):
        attacker.post(reverse("admin:login"), {"username": f"user{n}", "password": "x"})

    assert_refused(log_in(attacker, "alice"), "Too many failed log-ins from your network.")
    refused = attacker.post(reverse("admin:login"), {"username": "ada", "password": "x"})
    assert_refused(refused, "Too many failed log-ins from your network.")


# ---------------------------------------------------------------- windows and addresses


def test_the_limit_lifts_when_its_window_ends():
    count, seconds = settings.THROTTLES["join_failed"]
    start = 1_000_000 * seconds  # the start of a window
    for _ in range(count):
        assert throttles.hit("join_failed", SCHOOL, now=start + 1) is None

    assert throttles.hit("join_failed", SCHOOL, now=start + 61) == seconds - 61
    assert throttles.retry_after("join_failed", SCHOOL, now=start + seconds - 1) == 1
    assert throttles.retry_after("join_failed", SCHOOL, now=start + seconds) is None
    assert throttles.hit("join_failed", SCHOOL, now=start + seconds) is None


def test_an_ipv6_client_cannot_escape_by_changing_its_address():
    count, _ = settings.THROTTLES["signup"]
    for n in range(count):
        throttles.hit("signup", f"2001:db8:1:2::{n:x}")

    assert throttles.retry_after("signup", "2001:db8:1:2::ffff") is not None
    assert throttles.retry_after("signup", "2001:db8:1:3::1") is None


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings, db):
    spoofed = Client(REMOTE_ADDR=SCHOOL, HTTP_X_FORWARDED_FOR="192.0.2.99")
    for n in range(limit("login_failed")):
        log_in(spoofed, f"user{n}")

    # Changing the header does not make a new client.
    again = Client(REMOTE_ADDR=SCHOOL, HTTP_X_FORWARDED_FOR="192.0.2.100")
    assert log_in(again, "user-next").status_code == 429

    # Behind a trusted proxy, the address it saw is the client.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {SCHOOL}")
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert log_in(proxied, "user-next").status_code == 429
    assert log_in(other, "user-next").status_code == 200
