import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_datetime

from learning.models import Course, Lesson
from quizzes.models import Question, QuestionStatus

SEED_FIXTURE = "coalition_of_the_willing.json"
SEED_SLUG = "coalition-of-the-willing"
# Each release of the seed stamps its lessons' updated_at with its own date. A lesson
# still stamped with an older release's date was never edited here: it is upgraded.
OLDER_RELEASES = ["2025-01-01T00:00:00Z"]


def seed_objects():
    path = Path(settings.FIXTURE_DIRS[0]) / SEED_FIXTURE
    return json.loads(path.read_text(encoding="utf-8"))


def lesson_slug(obj):
    """The slug of the lesson a fixture object belongs to, or None (the course)."""
    fields = obj["fields"]
    if obj["model"] == "learning.lesson":
        return fields["slug"]
    key = fields.get("lesson") or fields.get("quiz") or fields.get("question")
    return key[1] if key else None


class Command(BaseCommand):
    help = (
        "Load the seed course once. Later runs keep what editors changed in the admin, "
        "and upgrade the lessons an older release of the seed left untouched: their old "
        "questions are retired (past attempts keep them) and the new ones added."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true", help="Load the fixture again anyway.")

    def handle(self, *args, reload, **options):
        verbosity = options["verbosity"]
        if reload or not Course.objects.filter(slug=SEED_SLUG).exists():
            call_command("loaddata", SEED_FIXTURE, verbosity=verbosity)
            return
        older = [parse_datetime(stamp) for stamp in OLDER_RELEASES]
        stale = list(
            Lesson.objects.filter(course__slug=SEED_SLUG, updated_at__in=older).values_list(
                "slug", flat=True
            )
        )
        if not stale:
            self.stdout.write("Seed course already loaded (use --reload to load it again).")
            return
        with transaction.atomic():
            self.retire_old_questions(stale)
            objects = [obj for obj in seed_objects() if lesson_slug(obj) in stale]
            with tempfile.TemporaryDirectory() as folder:
                upgrade = Path(folder) / "seed_upgrade.json"
                upgrade.write_text(json.dumps(objects), encoding="utf-8")
                call_command("loaddata", str(upgrade), verbosity=verbosity)
        self.stdout.write(f"Upgraded {len(stale)} lesson(s) of the seed course to this release.")

    def retire_old_questions(self, slugs):
        # Old questions step out of the new ones' positions and out of students' sight;
        # attempts keep what they showed (their frozen papers) and their answers.
        for slug in slugs:
            old = Question.objects.filter(
                quiz__lesson__course__slug=SEED_SLUG, quiz__lesson__slug=slug
            )
            offset = 1000 + max(old.values_list("position", flat=True), default=0)
            for question in old.order_by("-position"):
                question.position += offset
                question.status = QuestionStatus.RETIRED
                question.save(update_fields=["position", "status"])
