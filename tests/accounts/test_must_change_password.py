"""A person given a one-time password (Profile.must_change_password) is sent to the
password change page from every page until they choose their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from accounts.profiles import MUST_CHANGE_PASSWORD_KEY
from teaching.models import Enrollment
from tests.factories import make_quiz
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course

ONE_TIME = "pw-for-tests-1"
OWN = "copper-meadow-52"
CHANGE = "/accounts/password/"  # reverse("password_change")


@pytest.fixture
def flagged(client, student):
    """`student` with a one-time password, logged in through the log-in page."""
    Profile.objects.create(user=student, must_change_password=True)
    response = client.post(reverse("login"), {"username": "alice", "password": ONE_TIME})
    assert response.status_code == 302
    return client


def change_password(client, old=ONE_TIME, new=OWN):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    "page",
    [
        lambda: reverse("home"),
        lambda: make_quiz(questions=1).get_absolute_url(),
        lambda: reverse("profile"),
        lambda: reverse("quizzes:progress"),
        lambda: reverse("teaching:my_classes"),
        lambda: reverse("admin:index"),
    ],
    ids=["home", "quiz", "profile", "progress", "my classes", "admin"],
)
def test_every_page_leads_to_the_password_change_page(flagged, page):
    response = flagged.get(page())

    assert response.status_code == 302
    assert response.url == CHANGE


def test_the_log_in_itself_lands_on_the_password_change_page(client, student):
    Profile.objects.create(user=student, must_change_password=True)

    response = client.post(
        reverse("login"), {"username": "alice", "password": ONE_TIME}, follow=True
    )

    assert response.redirect_chain[-1] == (CHANGE, 302)


def test_the_page_says_why(flagged):
    text = visible_text(flagged.get(CHANGE), status=200)

    assert "Choose a new password before you go on." in text
    assert "one-time password" in text


def test_a_post_elsewhere_changes_nothing(flagged, student, teacher):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course])

    response = flagged.post(reverse("teaching:join"), {"code": classroom.join_code})

    assert (response.status_code, response.url) == (302, CHANGE)
    assert not Enrollment.objects.exists()


def test_the_health_check_answers_a_flagged_session(flagged):
    assert flagged.get("/healthz").status_code == 200


def test_static_files_are_never_sent_to_the_password_page(flagged):
    # Whether the file is served here depends on collectstatic; what matters is that
    # the middleware lets the request through instead of redirecting it.
    response = flagged.get("/static/css/site.css")

    assert response.status_code != 302 and "Location" not in response


def test_logging_out_is_still_possible(flagged):
    response = flagged.post(reverse("logout"))

    assert (response.status_code, response.url) == (302, reverse("home"))
    assert flagged.get(reverse("home")).status_code == 200


def test_choosing_a_new_password_opens_the_site_again(flagged, student, caplog):
    done = change_password(flagged)

    assert done.url == reverse("password_change_done")
    assert "Your password has been changed." in visible_text(flagged.get(done.url), status=200)
    assert flagged.get(reverse("home")).status_code == 200
    assert not Profile.objects.get(user=student).must_change_password
    assert MUST_CHANGE_PASSWORD_KEY not in flagged.session
    logged = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert any(line.startswith('event=password_changed user="alice"') for line in logged)


def test_the_next_log_in_asks_nothing_more(flagged, client):
    change_password(flagged)
    flagged.post(reverse("logout"))

    client.post(reverse("login"), {"username": "alice", "password": OWN})

    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_one_time_password_keeps_the_site_closed(flagged, student):
    response = change_password(flagged, old="not-it")

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in visible_text(response)
    assert flagged.get(reverse("home")).url == CHANGE
    assert Profile.objects.get(user=student).must_change_password


def test_someone_without_the_flag_goes_anywhere(student_client):
    assert student_client.get(reverse("home")).status_code == 200
    assert "Choose a new password" not in visible_text(student_client.get(CHANGE))


def test_the_flag_is_read_from_the_session_not_the_database(flagged):
    with CaptureQueriesContext(connection) as queries:
        flagged.get(reverse("home"))
        flagged.get(CHANGE)

    assert not [q for q in queries.captured_queries if "accounts_profile" in q["sql"]]
