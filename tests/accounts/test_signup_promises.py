"""The signup page promises only what the site does: lessons and their quizzes,
progress, classes whose teachers see it, and a password reset by email only for
those who give an email address."""

import re

from django.urls import reverse

from tests.pages import visible_text

GOOD_PASSWORD = "treaty-lantern-47"


def signup(client, **fields):
    data = {"username": "newbie", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("signup"), {**data, **fields})


def test_signup_says_what_an_account_is_for(client, db):
    text = visible_text(client.get(reverse("signup")), status=200)

    assert "take the quizzes at the end of each lesson" in text
    assert "your progress through the lessons" in text
    assert "join their class and they will see how you are doing" in text


def test_email_is_optional_and_promises_reset_only_with_one(client, db):
    text = visible_text(client.get(reverse("signup")), status=200)

    assert (
        "Optional. With an email address you can reset a forgotten password yourself; "
        "without one, ask your teacher or an admin."
    ) in text
    # "reset" appears only in that sentence: nothing promises it to everyone.
    assert text.lower().count("reset") == 1


def test_signup_with_errors_keeps_the_same_promises(client, db):
    response = client.post(reverse("signup"), {"username": "", "email": "not-an-address"})

    text = visible_text(response, status=200)
    assert "Enter a valid email address." in text
    assert text.lower().count("reset") == 1


def test_the_email_given_at_signup_is_where_a_reset_link_goes(client, db, mailoutbox):
    signup(client, email="newbie@example.com")
    client.post(reverse("logout"))

    client.post(reverse("password_reset"), {"email": "newbie@example.com"})

    [message] = mailoutbox
    assert message.to == ["newbie@example.com"]
    assert re.search(r"/accounts/password/reset/\S+/\S+/", message.body)
