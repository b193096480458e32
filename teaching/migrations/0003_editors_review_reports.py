"""Editors also work the review queue: they see learners' question reports and
resolve them (view and change; reports are filed by learners, never added)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quizzes",
            codename__in=["view_questionreport", "change_questionreport"],
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="quizzes", codename__endswith="_questionreport"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("teaching", "0002_roles"),
        ("quizzes", "0004_fill_out_of_attempts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
