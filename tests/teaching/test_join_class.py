"""A student joins a class with its code at /classes/join/."""

import pytest
from django.urls import reverse

from teaching.models import Enrollment
from tests.teaching_data import make_class, make_course

JOIN = "/classes/join/"


@pytest.fixture
def classroom(teacher):
    course, _ = make_course(lessons=1)
    return make_class(teachers=[teacher], courses=[course], name="Year 9 History")


def test_join_url_is_the_documented_path():
    assert reverse("teaching:join") == JOIN


def test_form_is_shown(student_client):
    response = student_client.get(JOIN)

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_right_code_joins_the_class(student_client, student, classroom):
    response = student_client.post(JOIN, {"code": classroom.join_code}, follow=True)

    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1
    assert "You joined Year 9 History." in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: f"  {code[:4]} {code[4:]}  ",
        lambda code: " ".join(code.lower()),
        lambda code: f"{code[:4]}-{code[4:]}",
    ],
    ids=["lower case", "spaces", "a space between every letter", "hyphen"],
)
def test_code_is_case_and_space_insensitive(student_client, student, classroom, typed):
    response = student_client.post(JOIN, {"code": typed(classroom.join_code)})

    assert response.status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_wrong_code_gets_a_clear_message_and_changes_nothing(student_client, classroom):
    response = student_client.post(JOIN, {"code": "NOPE2345"})

    assert response.status_code == 400
    assert "No class has that code" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_empty_code_is_400(student_client, classroom):
    response = student_client.post(JOIN, {"code": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Enrollment.objects.exists()


def test_joining_twice_keeps_one_enrollment(student_client, student, classroom):
    student_client.post(JOIN, {"code": classroom.join_code})

    response = student_client.post(JOIN, {"code": classroom.join_code}, follow=True)

    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1
    assert "You are already in Year 9 History." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login(client, classroom, method):
    response = getattr(client, method)(JOIN, {"code": classroom.join_code})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Enrollment.objects.exists()
