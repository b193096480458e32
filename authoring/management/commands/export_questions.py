from django.core.management.base import BaseCommand, CommandError

from authoring.question_export import WRITERS, export
from learning.models import Course


class Command(BaseCommand):
    help = "Write a course's questions (or one lesson's) as GIFT, Aiken, Moodle XML or CSV."

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's slug.")
        parser.add_argument("--lesson", type=int, action="append", help="A lesson position.")
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("--output", "-o", help="A file to write (default: standard output).")

    def handle(self, *args, course, lesson, format, output, **options):
        found = Course.objects.filter(slug=course).first()
        if found is None:
            raise CommandError(f"No course with the slug '{course}'.")
        text, skipped = export(found, positions=set(lesson or []), format_name=format)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        else:
            self.stdout.write(text, ending="")
        for entry in skipped:
            self.stderr.write(f"Not exported: question {entry.line}: {entry.reason}")
