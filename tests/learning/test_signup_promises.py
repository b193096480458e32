"""The signup page promises nothing the site does not do: there is no password
reset by email (a teacher or an admin resets a forgotten password)."""

import re

from django.urls import reverse


def page_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_signup_email_is_optional_and_promises_no_password_reset(client, db):
    response = client.get(reverse("signup"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Optional." in text
    assert "reset" not in text.lower()


def test_signup_with_errors_still_promises_no_password_reset(client, db):
    response = client.post(reverse("signup"), {"username": "", "email": "not-an-address"})

    assert response.status_code == 200
    assert "reset" not in page_text(response).lower()
