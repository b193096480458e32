"""Classes and enrollments moved from learning to teaching with their rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("learning", "0002_lesson_body_html"), ("teaching", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(applied).apps


def test_classes_and_enrollments_keep_their_rows(django_user_model):
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Course = old.get_model("learning", "Course")
    Classroom = old.get_model("learning", "Classroom")
    Enrollment = old.get_model("learning", "Enrollment")
    # As on a database from before the move: the content type is still learning's.
    ContentType.objects.filter(app_label="teaching").delete()
    ContentType.objects.get_or_create(app_label="learning", model="classroom")
    teacher = User.objects.create(username="tess")
    student = User.objects.create(username="sam")
    course = Course.objects.create(title="A course", slug="a-course")
    classroom = Classroom.objects.create(name="Year 9", join_code="ABCD2345")
    classroom.teachers.add(teacher)
    classroom.courses.add(course)
    Enrollment.objects.create(classroom=classroom, student=student)

    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    new = migrate(leaf)

    moved = new.get_model("teaching", "Classroom").objects.get()
    assert (moved.pk, moved.name, moved.join_code) == (classroom.pk, "Year 9", "ABCD2345")
    assert list(moved.teachers.values_list("username", flat=True)) == ["tess"]
    assert list(moved.courses.values_list("slug", flat=True)) == ["a-course"]
    assert list(moved.enrollments.values_list("student__username", flat=True)) == ["sam"]
    content_types = ContentType.objects
    assert content_types.filter(app_label="teaching", model="classroom").exists()
    assert not content_types.filter(app_label="learning", model="classroom").exists()
