"""Teaching is a permission: the Teachers group holds it, and an admin can give it to
anyone; Editors get the content models, and nothing about people."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from teaching.roles import EDITORS_GROUP, TEACHERS_GROUP, is_teacher
from tests.conftest import make_user


def teach_permission():
    return Permission.objects.get(content_type__app_label="teaching", codename="teach_class")


@pytest.fixture
def grantee(db):
    """Someone an admin made a teacher in the user admin: the permission, no group."""
    user = make_user("gina")
    user.user_permissions.add(teach_permission())
    return user


def test_the_permission_alone_opens_the_teacher_pages(client, grantee):
    client.force_login(grantee)

    response = client.get("/teach/")

    assert response.status_code == 200
    assert is_teacher(grantee)
    assert not grantee.groups.exists()


def test_without_the_permission_the_teacher_pages_are_refused(client, student):
    client.force_login(student)

    assert client.get("/teach/").status_code == 403
    assert not is_teacher(student)


@pytest.mark.django_db
def test_the_migration_made_the_groups_with_their_permissions():
    # Run on a migrated database: the groups exist before anyone runs seed_demo.
    teachers = Group.objects.get(name=TEACHERS_GROUP)
    editors = Group.objects.get(name=EDITORS_GROUP)

    assert list(teachers.permissions.all()) == [teach_permission()]
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_lesson", "change_lesson", "view_course", "change_question"} <= codenames
    assert {"change_user", "delete_lesson", "view_attempt", "teach_class"}.isdisjoint(codenames)


def test_an_editor_is_no_teacher(db):
    editor = make_user("eddie")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    assert editor.has_perm("learning.change_lesson")
    assert not is_teacher(editor)


@pytest.mark.django_db
def test_seed_demo_adds_the_teacher_to_the_existing_group_and_makes_none():
    call_command("seed_demo", force=True, verbosity=0)

    assert Group.objects.filter(name=TEACHERS_GROUP).count() == 1
    assert Group.objects.get(name=TEACHERS_GROUP).user_set.filter(username="teacher").exists()


@pytest.mark.django_db
def test_seed_demo_without_the_group_says_to_migrate():
    Group.objects.filter(name=TEACHERS_GROUP).delete()

    with pytest.raises(CommandError, match="run `manage.py migrate` first"):
        call_command("seed_demo", force=True, verbosity=0)


def test_an_editor_works_the_report_queue_but_files_no_reports(db, client):
    editor = make_user("edna", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)

    queue = client.get("/admin/quizzes/questionreport/")

    assert queue.status_code == 200
    assert editor.has_perm("quizzes.change_questionreport")
    assert not editor.has_perm("quizzes.add_questionreport")
    assert not editor.has_perm("quizzes.delete_questionreport")


def test_the_editors_group_comes_back_with_the_migrations_permissions(db):
    from teaching.roles import editors_group

    made_by_migration = set(
        Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True)
    )
    Group.objects.filter(name=EDITORS_GROUP).delete()

    again = set(editors_group().permissions.values_list("codename", flat=True))

    assert again == made_by_migration and "change_question" in again
