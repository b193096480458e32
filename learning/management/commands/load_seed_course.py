from django.core.management import call_command
from django.core.management.base import BaseCommand

from learning.models import Course

SEED_FIXTURE = "coalition_of_the_willing.json"
SEED_SLUG = "coalition-of-the-willing"


class Command(BaseCommand):
    help = "Load the seed course once; later runs keep what editors changed in the admin."

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true", help="Load the fixture again anyway.")

    def handle(self, *args, reload, **options):
        if Course.objects.filter(slug=SEED_SLUG).exists() and not reload:
            self.stdout.write("Seed course already loaded (use --reload to load it again).")
            return
        call_command("loaddata", SEED_FIXTURE, verbosity=options["verbosity"])
