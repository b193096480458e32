from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from authoring import question_import
from learning.models import Lesson


class Command(BaseCommand):
    help = (
        "Import questions (GIFT, Aiken, Moodle XML or CSV) into a lesson's quiz, as drafts "
        "unless --approve. A malformed file imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--course", required=True, help="The course's slug.")
        parser.add_argument("--lesson", required=True, type=int, help="The lesson's position.")
        parser.add_argument("--format", choices=sorted(question_import.FORMATS))
        parser.add_argument("--approve", action="store_true", help="Approve on import.")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview only.")

    def handle(self, *args, file, course, lesson, format, approve, dry_run, **options):
        target = Lesson.objects.filter(course__slug=course, position=lesson).first()
        if target is None:
            raise CommandError(f"No lesson {lesson} in a course '{course}'.")
        path = Path(file)
        try:
            with path.open("rb") as stream:
                data = stream.read(question_import.MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        try:
            name, parsed = question_import.read(data, format_name=format)
            planned = question_import.plan(name, parsed, target)
        except question_import.QuestionFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(f"{file} ({name}): {planned.summary()}")
        for entry in planned.planned:
            warned = f" ({len(entry.warnings)} warnings)" if entry.warnings else ""
            self.stdout.write(f"  line {entry.question.line}: {entry.question.prompt[:70]}{warned}")
        for entry in planned.skipped:
            self.stdout.write(f"  not imported: {entry}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            made = question_import.write(planned, target, approve=approve)
        except question_import.QuestionFileError as exc:
            raise CommandError(str(exc)) from None
        state = "approved" if approve else "drafts to review"
        self.stdout.write(f"Imported {len(made)} questions into lesson {lesson} ({state}).")
