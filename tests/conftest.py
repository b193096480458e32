"""Personas and the seed course, shared by every test."""

import pytest
from django.contrib.auth.models import User

from teaching.roles import teachers_group


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The per-address counts (accounts.throttles) live in the cache: every test
    comes from 127.0.0.1, so without this they would add up across tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(username, **extra):
    return User.objects.create_user(username=username, password="pw-for-tests-1", **extra)


@pytest.fixture
def student(db):
    return make_user("alice")


@pytest.fixture
def other_student(db):
    return make_user("bob")


@pytest.fixture
def teacher(db):
    user = make_user("tess")
    user.groups.add(teachers_group())
    return user


@pytest.fixture
def other_teacher(db):
    user = make_user("theo")
    user.groups.add(teachers_group())
    return user


@pytest.fixture
def admin_user(db):
    """Also logs in pytest-django's `admin_client`."""
    return User.objects.create_superuser("ada", "ada@example.com", "pw-for-tests-1")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def seed_course(db):
    from django.core.management import call_command

    from learning.models import Course

    call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)
    return Course.objects.get(slug="coalition-of-the-willing")


@pytest.fixture
def attempt(quiz, student):
    """`student`'s open attempt at the `quiz` fixture, which each module using this defines."""
    from quizzes.grading import start_attempt

    return start_attempt(user=student, quiz=quiz)


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The seed course, loaded once for a module of tests that only read it."""
    from django.core.management import call_command

    from learning.models import Course

    # Loading with natural keys takes over a second; each test still runs in its own
    # rolled-back transaction.
    with django_db_blocker.unblock():
        call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Course.objects.all().delete()
