from django.core.management.base import BaseCommand

from quizzes.grading import close_expired_attempts


class Command(BaseCommand):
    help = (
        "Grade every open attempt whose time limit has passed, at its deadline, so that it "
        "counts in progress, the class grid and statistics before its student comes back. "
        "Idempotent: run it every minute from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        closed = close_expired_attempts()
        noun = "attempt" if closed == 1 else "attempts"
        self.stdout.write(f"Closed {closed} expired {noun}.")
