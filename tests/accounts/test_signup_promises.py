"""The signup page promises nothing the site does not do: there is no password
reset by email (a teacher or an admin resets a forgotten password)."""

from django.urls import reverse

from tests.pages import visible_text


def test_signup_email_is_optional_and_promises_no_password_reset(client, db):
    response = client.get(reverse("signup"))

    text = visible_text(response)
    assert response.status_code == 200
    assert "Optional." in text
    assert "reset" not in text.lower()


def test_signup_with_errors_still_promises_no_password_reset(client, db):
    response = client.post(reverse("signup"), {"username": "", "email": "not-an-address"})

    assert response.status_code == 200
    assert "reset" not in visible_text(response).lower()
