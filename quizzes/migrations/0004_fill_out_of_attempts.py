from django.db import migrations
from django.db.models import Q


def fill(apps, schema_editor):
    Quiz = apps.get_model("quizzes", "Quiz")
    LessonProgress = apps.get_model("learning", "LessonProgress")
    for lesson_id, limit in Quiz.objects.filter(max_attempts__isnull=False).values_list(
        "lesson_id", "max_attempts"
    ):
        LessonProgress.objects.filter(
            Q(lesson_id=lesson_id, passed_at__isnull=True, attempts_submitted__gte=limit)
        ).update(out_of_attempts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_lessonprogress_out_of_attempts"),
        ("quizzes", "0003_pools_status_reports"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
