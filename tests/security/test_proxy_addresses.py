"""Behind a proxy: the client address the throttles and django-axes count is the one the
trusted proxies saw, whatever X-Forwarded-For a client writes; HTTPS is read from the
proxy's X-Forwarded-Proto, so the redirect to HTTPS does not loop.

Each proxy appends the address it saw to X-Forwarded-For: a client that sends
`X-Forwarded-For: 1.2.3.4` through one proxy arrives as "1.2.3.4, <its real address>".
"""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.throttles import client_address

PROXY = "10.0.0.5"  # the proxy in front of the app server
OUTER_PROXY = "10.0.0.9"  # a second one, in front of PROXY
STUDENT = "198.51.100.20"  # alice's school
STRANGER = "203.0.113.7"  # bob's home
PASSWORD = "pw-for-tests-1"


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.TRUSTED_PROXY_COUNT = 1


def log_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# ---------------------------------------------------------------- the address counted


def test_a_forged_entry_through_the_proxy_is_not_the_address(one_proxy):
    assert address(PROXY, f"1.2.3.4, {STUDENT}") == STUDENT
    assert address(PROXY, f"{STRANGER}, 1.2.3.4, {STUDENT}") == STUDENT


def test_a_client_reaching_the_app_directly_cannot_forge(one_proxy):
    assert address(STUDENT, "1.2.3.4") == STUDENT
    assert address(STUDENT, f"1.2.3.4, {STRANGER}") == STUDENT


def test_with_two_proxies_the_address_is_the_second_from_the_right(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.TRUSTED_PROXY_COUNT = 2

    assert address(PROXY, f"1.2.3.4, {STUDENT}, {OUTER_PROXY}") == STUDENT
    # Fewer entries than proxies: the request did not come the whole way through them.
    assert address(PROXY, STUDENT) == PROXY


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", f"{STUDENT}, unknown", " , "])
def test_a_header_with_no_address_where_the_proxy_writes_counts_the_proxy(one_proxy, forwarded):
    assert address(PROXY, forwarded) == PROXY


def test_proxies_may_be_named_as_a_network(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert address("10.0.0.77", f"1.2.3.4, {STUDENT}") == STUDENT
    assert address("::ffff:10.0.0.77", STUDENT) == STUDENT  # a dual-stack server's view
    assert address("10.0.1.77", STUDENT) == "10.0.1.77"


def test_an_ipv6_client_behind_the_proxy_is_read(one_proxy):
    assert address(PROXY, "1.2.3.4, 2001:db8::7") == "2001:db8::7"


def test_without_a_proxy_named_or_announced_no_header_is_believed(settings):
    settings.TRUSTED_PROXIES = []
    settings.BEHIND_PROXY = False

    assert address(PROXY, STUDENT) == PROXY


def test_behind_a_proxy_with_none_named_the_peer_is_taken_for_the_proxy(settings):
    settings.TRUSTED_PROXIES = []
    settings.BEHIND_PROXY = True

    assert address(PROXY, f"1.2.3.4, {STUDENT}") == STUDENT


# ---------------------------------------------------------------- throttles


def test_forged_headers_through_the_proxy_do_not_escape_the_login_throttle(one_proxy, db):
    limit = settings.THROTTLES["login_failed"][0]
    for n in range(limit):  # a script, a fresh forged address each time
        forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {STRANGER}")
        assert log_in(forged, f"user{n}", "wrong").status_code == 200

    again = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.250, {STRANGER}")
    student = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STUDENT)

    assert log_in(again, "user-next", "wrong").status_code == 429
    assert log_in(student, "user-next", "wrong").status_code == 200


# ---------------------------------------------------------------- django-axes lock-out


def failures(client, username, count):
    return [log_in(client, username, "wrong-password") for _ in range(count)]


def test_a_stranger_forging_the_students_address_through_the_proxy_locks_only_himself(
    one_proxy, student
):
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{STUDENT}, {STRANGER}")
    responses = failures(stranger, "alice", settings.AXES_FAILURE_LIMIT)
    assert responses[-1].status_code == 429  # locked: alice from the stranger's address

    alice = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STUDENT)
    response = log_in(alice)

    assert response.status_code == 302
    assert alice.session[SESSION_KEY] == str(student.pk)
    assert log_in(stranger).status_code == 429  # even with her password, from his address


def test_a_stranger_reaching_the_app_directly_cannot_lock_the_student_out(one_proxy, student):
    stranger = Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=STUDENT)
    assert failures(stranger, "alice", settings.AXES_FAILURE_LIMIT)[-1].status_code == 429

    alice = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STUDENT)

    assert log_in(alice).status_code == 302


def test_the_lock_out_follows_the_real_address_not_the_forged_one(one_proxy, student):
    # Locked from her school, then a forged header claiming another address gains nothing.
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STUDENT)
    failures(guesser, "alice", settings.AXES_FAILURE_LIMIT)

    disguised = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{STRANGER}, {STUDENT}")

    assert log_in(disguised).status_code == 429


# ---------------------------------------------------------------- HTTPS behind the proxy

TLS_PROXY = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@override_settings(**TLS_PROXY)
def test_https_through_the_proxy_is_served_not_redirected_again(db):
    response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


@override_settings(**TLS_PROXY)
def test_plain_http_through_the_proxy_is_sent_to_https(db):
    response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/healthz"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
def test_without_the_switch_a_client_cannot_claim_https(db):
    response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
