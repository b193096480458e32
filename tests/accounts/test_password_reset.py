"""Password reset by email: ask, read the link in the email, choose a new password,
log in with it. An unknown address gets the same answer; one address cannot flood."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from tests.pages import visible_text

NEW_PASSWORD = "harbour-violet-83"
OLD_PASSWORD = "pw-for-tests-1"
LINK = re.compile(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def alice(student):
    student.email = "alice@example.com"
    student.save()
    return student


def ask_for_reset(client, email="alice@example.com"):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message):
    [path] = LINK.findall(message.body)
    return path


def set_new_password(client, path, password=NEW_PASSWORD, again=None):
    form_page = client.get(path)  # Django moves the token into the session, then redirects
    assert form_page.status_code == 302
    return client.post(
        form_page.url, {"new_password1": password, "new_password2": again or password}
    )


def log_in(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_reset_by_email_from_the_login_page_to_logging_in(client, alice, mailoutbox, caplog):
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page

    asked = ask_for_reset(client, "ALICE@example.com")  # however the address is typed
    assert asked.status_code == 302
    check_inbox = client.get(asked.url)
    assert "Check your inbox" in visible_text(check_inbox, status=200)

    [message] = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Explainer Learning password"
    assert '"alice"' in message.body  # which account the link is for
    assert message.alternatives == []  # plain text only

    done = set_new_password(client, link_in(message))
    assert done.status_code == 302
    assert "Your new password is set" in visible_text(client.get(done.url), status=200)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    logged = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert 'event=password_reset user="alice"' in " ".join(logged)

    assert log_in(Client(), OLD_PASSWORD).status_code == 200  # refused: the form again
    fresh = Client()
    assert log_in(fresh, NEW_PASSWORD).status_code == 302
    assert fresh.session[SESSION_KEY] == str(alice.pk)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, alice, mailoutbox):
    known = ask_for_reset(Client(), "alice@example.com")
    unknown = ask_for_reset(client, "nobody@example.com")

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_an_account_without_an_email_is_told_to_ask_a_teacher(client, db):
    page = visible_text(client.get(reverse("password_reset")), status=200)

    assert "No email address on your account? Ask your teacher" in page


def test_a_malformed_address_is_refused_with_a_message(client, alice, mailoutbox):
    response = ask_for_reset(client, "not-an-address")

    assert response.status_code == 400
    assert "Enter a valid email address." in visible_text(response)
    assert mailoutbox == []


def test_a_link_works_once(client, alice, mailoutbox):
    ask_for_reset(client)
    path = link_in(mailoutbox[0])
    set_new_password(client, path)

    again = Client().get(path)

    assert again.status_code == 400
    assert "This link no longer works" in visible_text(again)


def test_a_tampered_link_changes_nothing(client, alice, mailoutbox):
    ask_for_reset(client)
    path = link_in(mailoutbox[0])
    tampered = path[:-2] + ("0/" if path[-2] != "0" else "1/")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "This link no longer works" in visible_text(response)
    alice.refresh_from_db()
    assert alice.check_password(OLD_PASSWORD)


def test_a_weak_new_password_is_refused_and_changes_nothing(client, alice, mailoutbox):
    ask_for_reset(client)

    response = set_new_password(client, link_in(mailoutbox[0]), password="12345678")

    assert response.status_code == 400
    assert "This password is too common." in visible_text(response)
    alice.refresh_from_db()
    assert alice.check_password(OLD_PASSWORD)


def test_reset_requests_are_limited_per_address(client, alice, mailoutbox, settings):
    settings.THROTTLES = {**settings.THROTTLES, "password_reset": (3, 3600)}
    # Unknown addresses count too: otherwise the limit would tell which ones have accounts.
    for email in ("nobody@example.com", "alice@example.com", "someone@example.com"):
        assert ask_for_reset(client, email).status_code == 302

    refused = ask_for_reset(client)

    assert refused.status_code == 429
    assert "Too many password reset requests" in visible_text(refused)
    assert len(mailoutbox) == 1
    elsewhere = ask_for_reset(Client(REMOTE_ADDR="198.51.100.20"))
    assert elsewhere.status_code == 302
    assert len(mailoutbox) == 2


def test_the_default_limit_lets_a_class_reset_but_not_flood():
    count, seconds = settings.THROTTLES["password_reset"]

    assert 10 <= count <= 60 and seconds >= 3600


def test_the_lock_out_page_offers_reset_by_email_or_a_teacher(client, student):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = log_in(client, "wrong-password")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "ask your teacher" in visible_text(locked)


def test_a_reset_lifts_the_lock_out(client, alice, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong-password")
    assert log_in(client, OLD_PASSWORD).status_code == 429

    ask_for_reset(client)
    set_new_password(client, link_in(mailoutbox[0]))

    assert log_in(client, NEW_PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_a_reset_clears_must_change_password(client, alice, mailoutbox):
    Profile.objects.create(user=alice, must_change_password=True)
    ask_for_reset(client)
    set_new_password(client, link_in(mailoutbox[0]))

    log_in(client, NEW_PASSWORD)

    assert client.get(reverse("home")).status_code == 200
    assert not Profile.objects.get(user=alice).must_change_password


def test_the_old_address_leads_to_the_reset_page(client, db):
    response = client.get("/accounts/password_reset/")

    assert response.status_code == 302
    assert response.url == reverse("password_reset")


def test_reset_pages_stay_within_a_few_queries(
    client, alice, mailoutbox, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # measured: 0
        client.get(reverse("password_reset"))
    with django_assert_max_num_queries(2):  # measured: 1, the users with that address
        ask_for_reset(client)
