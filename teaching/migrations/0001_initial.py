"""Classes and enrollments move here from the learning app with their rows: the
tables keep their names (Meta.db_table), so only Django's picture of the models
changes, and the content types (with their permissions and admin history) follow."""

import django.db.models.deletion
import teaching.models
from django.conf import settings
from django.db import migrations, models


MOVED = ["classroom", "enrollment"]


def move_content_types(apps, schema_editor, *, source="learning", target="teaching"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MOVED).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="teaching", target="learning")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('learning', '0002_lesson_body_html'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Classroom',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=120)),
                    ('join_code', models.CharField(default=teaching.models.new_join_code, max_length=12, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('courses', models.ManyToManyField(blank=True, related_name='classrooms', to='learning.course')),
                    ('teachers', models.ManyToManyField(related_name='classes_taught', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'class',
                    'verbose_name_plural': 'classes',
                    'db_table': 'learning_classroom',
                    'ordering': ['name'],
                    'permissions': [('teach_class', "Can teach classes and see their students' progress")],
                },
            ),
            migrations.CreateModel(
                name='Enrollment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('joined_at', models.DateTimeField(auto_now_add=True)),
                    ('classroom', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrollments', to='teaching.classroom')),
                    ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrollments', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'learning_enrollment',
                },
            ),
            migrations.AddField(
                model_name='classroom',
                name='students',
                field=models.ManyToManyField(blank=True, related_name='classes_joined', through='teaching.Enrollment', to=settings.AUTH_USER_MODEL),
            ),
            migrations.AddConstraint(
                model_name='enrollment',
                constraint=models.UniqueConstraint(fields=('classroom', 'student'), name='enrollment_unique_student_per_class'),
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
