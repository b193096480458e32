"""Who may teach: a permission, granted through the Teachers group (made by a data
migration) or to anyone directly in the user admin."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

TEACHERS_GROUP = "Teachers"
EDITORS_GROUP = "Editors"
TEACH_PERMISSION = "teaching.teach_class"


def sees_every_class(user):
    """Superusers oversee every class. Staff status alone is not enough: editors are
    staff to reach the content admin, and must not see students they do not teach."""
    return user.is_superuser


def is_teacher(user):
    """Asked by the page and the navigation bar alike; Django keeps the user's
    permissions for the request."""
    return user.is_authenticated and (sees_every_class(user) or user.has_perm(TEACH_PERMISSION))


def is_editor(user):
    """Someone who may edit content in the admin: staff with the content permissions
    (the Editors group, or a superuser)."""
    return user.is_authenticated and user.is_staff and user.has_perm("quizzes.change_question")


def set_roles(user, *, teacher, editor):
    """Grant or withdraw the teacher and editor roles through their groups. Editors
    need staff status to reach the admin; withdrawing the role withdraws it, except
    from superusers."""
    teachers, editors = teachers_group(), editors_group()
    (user.groups.add if teacher else user.groups.remove)(teachers)
    (user.groups.add if editor else user.groups.remove)(editors)
    staff = editor or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def teachers_group():
    """The Teachers group with its permission. Migration 0002 makes it; a test database
    emptied between tests gets it back here."""
    group, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
    app_label, codename = TEACH_PERMISSION.split(".")
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return group


# What an editor may do in the admin: content only, never people or their work
# (as migrations 0002 and 0003 grant it).
EDITOR_PERMISSIONS = (
    Q(
        content_type__app_label="learning",
        content_type__model__in=["course", "lesson"],
        codename__regex=r"^(add|change|view)_",
    )
    | Q(
        content_type__app_label="quizzes",
        content_type__model__in=["quiz", "question", "choice"],
        codename__regex=r"^(add|change|view)_",
    )
    | Q(
        content_type__app_label="quizzes",
        codename__in=["view_questionreport", "change_questionreport"],
    )
)


def editors_group():
    """The Editors group with its permissions, as the migrations made it; a test
    database emptied between tests gets it back here."""
    group, made = Group.objects.get_or_create(name=EDITORS_GROUP)
    if made:
        group.permissions.add(*Permission.objects.filter(EDITOR_PERMISSIONS))
    return group
