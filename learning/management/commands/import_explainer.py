from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from learning.importer import ExplainerError, decode_explainer, import_explainer, parse_explainer


class Command(BaseCommand):
    help = "Turn an explainer (.txt or .md) into a course with one lesson per section."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--title", help="Course title (default: the '# ' heading).")
        parser.add_argument("--slug", help="Course slug; an existing course is updated in place.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the course and lessons."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(self, *args, path, title, slug, publish, dry_run, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except IsADirectoryError:
            raise CommandError(f"{path} is a folder, not a file.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            parsed = parse_explainer(decode_explainer(data), default_title=_title_from(file))
            with transaction.atomic():
                result = import_explainer(parsed=parsed, title=title, slug=slug, publish=publish)
                if dry_run:
                    transaction.set_rollback(True)
        except ExplainerError as exc:
            raise CommandError(f"{path}: {exc}") from None

        verb = "Would import" if dry_run else "Imported"
        state = "new" if result.course_created else "existing"
        self.stdout.write(f"{verb} {state} course '{result.course.title}' ({result.course.slug}):")
        for section_no, section in enumerate(parsed.sections, start=1):
            self.stdout.write(f"  {section_no:>2}. {section.title}")
        self.stdout.write(
            f"{len(result.created)} lessons created, {len(result.updated)} updated, "
            f"{len(parsed.sections) - len(result.created) - len(result.updated)} unchanged, "
            f"{len(result.unpublished)} unpublished."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")


def _title_from(file):
    """A file named like 'coalition-of-the-willing.md' names its course; a hash does not."""
    words = file.stem.replace("-", " ").replace("_", " ").split()
    if sum(word.isalpha() for word in words) >= 2:
        return " ".join(words).capitalize()
    return ""
