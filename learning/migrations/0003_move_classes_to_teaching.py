from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0002_lesson_body_html'),
        ('teaching', '0001_initial'),
    ]

    # The tables stay (teaching.Classroom and Enrollment use them): state only.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='enrollment',
                    name='classroom',
                ),
                migrations.RemoveField(
                    model_name='enrollment',
                    name='student',
                ),
                migrations.DeleteModel(
                    name='Classroom',
                ),
                migrations.DeleteModel(
                    name='Enrollment',
                ),
            ],
            database_operations=[],
        ),
    ]
