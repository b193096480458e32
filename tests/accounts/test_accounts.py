"""Accounts: sign up, log in (back to a safe page), log out, change password."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import make_quiz

GOOD_PASSWORD = "treaty-lantern-47"


def signup(client, **fields):
    data = {"username": "newbie", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("signup"), {**data, **fields}, follow=True)


def logged_in_as(client):
    return client.session.get(SESSION_KEY)


def test_signup_creates_the_account_and_logs_in(client, db):
    response = signup(client, email="newbie@example.com")

    user = User.objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert user.check_password(GOOD_PASSWORD)
    assert logged_in_as(client) == str(user.pk)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welcome, newbie! Your account is ready." in response.content.decode()


def test_signup_email_is_optional(client, db):
    signup(client)

    assert User.objects.get(username="newbie").email == ""


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("83749201746", "This password is entirely numeric."),
        ("newbie123", "The password is too similar to the username."),
    ],
)
def test_weak_password_is_rejected_by_the_validators(client, db, password, message):
    response = signup(client, password1=password, password2=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    assert logged_in_as(client) is None


def test_mismatched_passwords_are_rejected(client, db):
    response = signup(client, password2="something-else-99")

    assert "The two password fields didn" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_taken_username_is_rejected(client, student):
    response = signup(client, username="alice")

    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username="alice").count() == 1


def test_signed_in_user_is_sent_home_from_signup(student_client):
    response = student_client.get(reverse("signup"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def login(client, next_url=None, password="pw-for-tests-1"):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    data = {"username": "alice", "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def test_login_returns_to_the_page_the_student_came_from(client, student):
    quiz = make_quiz(questions=1)

    response = login(client, quiz.get_absolute_url())

    assert response.status_code == 302
    assert response.url == quiz.get_absolute_url()
    assert logged_in_as(client) == str(student.pk)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "https:evil.example"]
)
def test_login_never_sends_the_student_off_site(client, student, next_url):
    response = login(client, next_url)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_without_next_goes_home(client, student):
    assert login(client).url == reverse("home")


def test_login_page_keeps_next_in_the_form(client, db):
    html = client.get(reverse("login") + "?next=/progress/").content.decode()

    assert '<input type="hidden" name="next" value="/progress/">' in html


def test_wrong_password_is_refused(client, student):
    response = login(client, password="wrong-password")

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert logged_in_as(client) is None


def test_logout_by_post(student_client):
    response = student_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_as(student_client) is None


def test_logout_by_get_is_refused(student_client, student):
    response = student_client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in_as(student_client) == str(student.pk)


def test_every_page_offers_logout_as_a_form(student_client, db):
    html = student_client.get(reverse("home")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}"' in html


def test_password_change(student_client, student):
    response = student_client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your password has been changed." in response.content.decode()
    student.refresh_from_db()
    assert student.check_password(GOOD_PASSWORD)
    assert logged_in_as(student_client) == str(student.pk)


def test_password_change_needs_the_old_password(student_client, student):
    response = student_client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    student.refresh_from_db()
    assert student.check_password("pw-for-tests-1")


def test_password_change_needs_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signup_from_a_quiz_returns_to_the_quiz(client, db):
    quiz = make_quiz(questions=1)
    page = client.get(quiz.get_absolute_url()).content.decode()
    signup_link = f'href="{reverse("signup")}?next={quiz.get_absolute_url()}"'
    assert signup_link in page

    form = client.get(reverse("signup") + f"?next={quiz.get_absolute_url()}").content.decode()
    assert f'<input type="hidden" name="next" value="{quiz.get_absolute_url()}">' in form
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "next": quiz.get_absolute_url(),
        },
    )

    assert response.status_code == 302
    assert response.url == quiz.get_absolute_url()
    assert logged_in_as(client) == str(User.objects.get(username="newbie").pk)


def test_signup_never_sends_the_student_off_site(client, db):
    response = signup(client, next="https://evil.example/")

    assert response.redirect_chain[-1][0] == reverse("home")
    assert User.objects.filter(username="newbie").exists()
