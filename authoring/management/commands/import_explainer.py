import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from authoring.importing import import_explainer, plan_import
from authoring.parsing import (
    MAX_EXPLAINER_BYTES,
    ExplainerError,
    check_explainer_size,
    decode_explainer,
    parse_explainer,
)


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
            "--dry-run",
            action="store_true",
            help="Show what would change; write nothing and take no write lock.",
        )

    def handle(self, *args, path, title, slug, publish, dry_run, **options):
        file = Path(path)
        try:
            data, size = _read_at_most(file, MAX_EXPLAINER_BYTES + 1)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except IsADirectoryError:
            raise CommandError(f"{path} is a folder, not a file.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            check_explainer_size(size, what="The file")
            parsed = parse_explainer(decode_explainer(data), default_title=_title_from(file))
            result = None
            if dry_run:
                plan = plan_import(parsed=parsed, title=title, slug=slug)
            else:
                result = import_explainer(parsed=parsed, title=title, slug=slug, publish=publish)
                plan = result.plan
        except ExplainerError as exc:
            raise CommandError(f"{path}: {exc}") from None

        verb = "Would import" if dry_run else "Imported"
        state = "new" if plan.course_created else "existing"
        self.stdout.write(f"{verb} {state} course '{plan.title}' ({plan.slug}):")
        for position, _section, lesson, drafts in plan.previews:
            self.stdout.write(f"  {position:>2}. {lesson.title} ({len(drafts)} drafts)")
        if plan.untitled:
            self.stdout.write(
                "The explainer has no headings: lesson titles were made from each "
                "section's topic. Check them in the admin."
            )
        self.stdout.write(plan.summary())
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif publish and result.not_published:
            self.stdout.write("Not published yet:")
            for reason in result.not_published:
                self.stdout.write(f"  {reason}")


def _read_at_most(file, limit):
    """The first `limit` bytes and the file's size: a 50 MB file is refused
    after reading only just past the limit, never held in memory whole."""
    with file.open("rb") as stream:
        data = stream.read(limit)
        return data, max(len(data), os.fstat(stream.fileno()).st_size)


def _title_from(file):
    """A file named like 'coalition-of-the-willing.md' names its course; a hash does not."""
    words = file.stem.replace("-", " ").replace("_", " ").split()
    if sum(word.isalpha() for word in words) >= 2:
        return " ".join(words).capitalize()
    return ""
