"""The Teachers and Editors groups with their permissions.

Permissions are normally made after every migration has run; they are made here
first so that the groups can hold them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# What an editor may do in the admin: content only, never people or their work.
EDITOR_MODELS = {
    "learning": ["course", "lesson"],
    "quizzes": ["quiz", "question", "choice"],
}


def make_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    teachers, _ = Group.objects.get_or_create(name="Teachers")
    teachers.permissions.add(
        Permission.objects.get(content_type__app_label="teaching", codename="teach_class")
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_MODELS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model__in=models,
                codename__regex=r"^(add|change|view)_",
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Teachers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teaching", "0001_initial"),
        ("learning", "0003_move_classes_to_teaching"),
        ("quizzes", "0002_response_save_order"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
