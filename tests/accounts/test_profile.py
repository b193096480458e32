"""The profile page, /accounts/profile/: the name teachers see, email, time zone."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from accounts.profiles import TIME_ZONE_KEY
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course

PROFILE = "/accounts/profile/"


def fields(**changes):
    data = {"first_name": "", "last_name": "", "email": "", "time_zone": ""}
    return {**data, **changes}


def test_profile_url_is_the_documented_path():
    assert reverse("profile") == PROFILE


def test_profile_needs_login(client, db):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_navigation_leads_to_the_profile(student_client):
    html = student_client.get(reverse("home")).content.decode()

    assert f'href="{PROFILE}"><span class="visually-hidden">Signed in as </span>alice' in html


def test_the_page_shows_what_can_be_changed(student_client, student):
    student.first_name, student.email = "Alice", "alice@example.com"
    student.save()

    response = student_client.get(PROFILE)

    text = visible_text(response, status=200)
    html = response.content.decode()
    assert "The name your teachers see" in text
    assert 'name="first_name" value="Alice"' in html
    assert 'value="alice@example.com"' in html
    assert 'for="id_time_zone"' in html and "Time zone" in text
    assert '<option value="" selected>The site&#x27;s default (UTC)</option>' in html
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Paris">Paris</option>' in html
    assert f'href="{reverse("password_change")}"' in html


def test_looking_at_the_profile_saves_nothing(student_client, student):
    student_client.get(PROFILE)

    assert not Profile.objects.exists()


def test_saving_the_profile(student_client, student):
    response = student_client.post(
        PROFILE,
        fields(
            first_name="Alice", last_name="Liddell", email="a@example.com", time_zone="Asia/Tokyo"
        ),
        follow=True,
    )

    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Your profile is saved." in visible_text(response)
    student.refresh_from_db()
    assert (student.first_name, student.last_name, student.email) == (
        "Alice",
        "Liddell",
        "a@example.com",
    )
    assert Profile.objects.get(user=student).time_zone == "Asia/Tokyo"
    assert student_client.session[TIME_ZONE_KEY] == "Asia/Tokyo"
    assert '<option value="Asia/Tokyo" selected>Tokyo</option>' in response.content.decode()


def test_the_teacher_sees_the_name_the_student_gave(student_client, student, teacher):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    student_client.post(PROFILE, fields(first_name="Alice", last_name="Liddell"))

    teacher_view = Client()
    teacher_view.force_login(teacher)
    grid = visible_text(teacher_view.get(classroom.get_absolute_url()), status=200)

    assert "Alice Liddell" in grid


def test_back_to_the_site_default(student_client, student):
    student_client.post(PROFILE, fields(time_zone="Asia/Tokyo"))

    student_client.post(PROFILE, fields(time_zone=""))

    assert Profile.objects.get(user=student).time_zone == ""
    assert TIME_ZONE_KEY not in student_client.session


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice."),
        ({"time_zone": "localtime"}, "Select a valid choice."),  # the server's clock, no place
        ({"first_name": "A" * 151}, "Ensure this value has at most 150 characters"),
    ],
    ids=["email", "unknown zone", "localtime", "long name"],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    student_client, student, changes, message
):
    good = fields(first_name="Alice", email="a@example.com", time_zone="Asia/Tokyo")

    response = student_client.post(PROFILE, {**good, **changes})

    text = visible_text(response, status=400)
    assert message in text
    assert "Nothing was saved" in text
    student.refresh_from_db()
    assert (student.first_name, student.email) == ("", "")
    assert not Profile.objects.exists()
    assert TIME_ZONE_KEY not in student_client.session


def test_a_post_without_the_csrf_token_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post(PROFILE, fields(first_name="Mallory"))

    assert response.status_code == 403
    student.refresh_from_db()
    assert student.first_name == ""


def test_saving_keeps_a_password_changed_meanwhile(student_client, student):
    User.objects.filter(pk=student.pk).update(password="changed-elsewhere")

    student_client.post(PROFILE, fields(first_name="Alice"))

    assert User.objects.get(pk=student.pk).password == "changed-elsewhere"


def test_other_methods_are_refused(student_client):
    assert student_client.put(PROFILE).status_code == 405


def test_profile_page_stays_within_a_few_queries(
    student_client, student, django_assert_max_num_queries
):
    Profile.objects.create(user=student, time_zone="Europe/Paris")
    student_client.get(PROFILE)  # the first request of a session also renews it
    with django_assert_max_num_queries(4):  # session, user, profile, the teacher check
        assert student_client.get(PROFILE).status_code == 200
    # measured: 10, of them 4 savepoints: session, user, profile, then the two updates
    with django_assert_max_num_queries(10):
        response = student_client.post(PROFILE, fields(first_name="Alice"))
    assert response.status_code == 302
