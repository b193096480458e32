"""`manage.py seed_demo`: demo accounts and a class, for development only."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from teaching.models import Classroom, Enrollment
from teaching.roles import TEACHERS_GROUP, is_teacher
from tests.factories import CourseFactory


@pytest.fixture(autouse=True)
def debug_on(settings):
    # pytest-django runs tests with DEBUG off; seed_demo is for DEBUG-on development.
    settings.DEBUG = True


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (
        User.objects.count(),
        Group.objects.count(),
        Classroom.objects.count(),
        Enrollment.objects.count(),
        Classroom.teachers.through.objects.count(),
        Classroom.courses.through.objects.count(),
    )


def test_creates_admin_teacher_three_students_and_a_class(db):
    seed_demo()

    admin = User.objects.get(username="admin")
    teacher = User.objects.get(username="teacher")
    students = User.objects.filter(username__startswith="student")
    classroom = Classroom.objects.get()
    assert admin.is_staff and admin.is_superuser
    assert teacher.groups.filter(name=TEACHERS_GROUP).exists() and is_teacher(teacher)
    assert not teacher.is_staff
    assert students.count() == 3
    assert not students.filter(is_staff=True).exists()
    assert list(classroom.teachers.all()) == [teacher]
    assert classroom.join_code
    assert classroom.students.count() == 2


def test_prints_working_passwords_and_the_join_code(db):
    output = seed_demo()

    classroom = Classroom.objects.get()
    assert classroom.join_code in output
    for username in ("admin", "teacher", "student1", "student2", "student3"):
        line = next(line for line in output.splitlines() if f" {username} " in line)
        password = line.split("password:")[1].strip()
        assert User.objects.get(username=username).check_password(password), line


def test_class_includes_the_published_seed_course(seed_course):
    seed_demo()

    assert list(Classroom.objects.get().courses.all()) == [seed_course]


def test_running_twice_changes_nothing(db):
    CourseFactory(published=True)
    seed_demo()
    before = counts()
    passwords = dict(User.objects.values_list("username", "password"))

    seed_demo()

    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords


def test_refuses_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed_demo()

    assert User.objects.count() == 0
    assert Classroom.objects.count() == 0


def test_force_runs_with_debug_off(db, settings):
    settings.DEBUG = False

    seed_demo("--force")

    assert User.objects.filter(username="admin", is_staff=True).exists()
