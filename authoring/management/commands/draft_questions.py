from django.core.management.base import BaseCommand, CommandError

from authoring.drafts import redraft
from learning.models import Course


class Command(BaseCommand):
    help = (
        "Draft questions again for a course's lessons. Approved, rejected and edited "
        "questions are never changed; drafts the text no longer makes are marked stale."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's slug.")
        parser.add_argument(
            "--lesson", type=int, action="append", help="A lesson position (repeatable)."
        )

    def handle(self, *args, course, lesson, **options):
        found = Course.objects.filter(slug=course).first()
        if found is None:
            raise CommandError(f"No course with the slug '{course}'.")
        positions = set(lesson or [])
        known = set(found.lessons.values_list("position", flat=True))
        if positions - known:
            missing = ", ".join(str(p) for p in sorted(positions - known))
            raise CommandError(f"'{course}' has no lesson at position {missing}.")
        for result in redraft(found, positions=positions or None):
            self.stdout.write(
                f"Lesson {result.lesson.position} ({result.lesson.title}): "
                f"{result.created} new drafts, {result.kept} kept, {result.stale} marked stale, "
                f"{result.protected} reviewed or edited left as they are."
            )
