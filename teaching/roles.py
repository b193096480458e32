"""Who may teach: a permission, granted through the Teachers group (made by a data
migration) or to anyone directly in the user admin."""

from django.contrib.auth.models import Group, Permission

TEACHERS_GROUP = "Teachers"
EDITORS_GROUP = "Editors"
TEACH_PERMISSION = "teaching.teach_class"


def is_teacher(user):
    """Staff count as teachers: they may see every class. Asked by the page and the
    navigation bar alike; Django keeps the user's permissions for the request."""
    return user.is_authenticated and (user.is_staff or user.has_perm(TEACH_PERMISSION))


def teachers_group():
    """The Teachers group with its permission. Migration 0002 makes it; a test database
    emptied between tests gets it back here."""
    group, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
    app_label, codename = TEACH_PERMISSION.split(".")
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return group
