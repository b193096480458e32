import sys
import time

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from quizzes import benchdata


def attempts_range(text):
    low, _, high = text.partition("-")
    try:
        low, high = int(low), int(high or low)
    except ValueError:
        raise ValueError(f"expected N or N-M, got {text!r}") from None
    if not 1 <= low <= high:
        raise ValueError(f"expected 1 <= N <= M, got {text!r}")
    return low, high


class ProgressBar:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, one
    line per step otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, step, total, label):
        filled = round(self.WIDTH * step / total) if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.perf_counter() - self.start
        line = f"bench_data [{bar}] {step}/{total} {label} ({elapsed:.1f} s)"
        if self.tty:
            self.stream.write("\r" + line.ljust(100) + ("\n" if step == total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Build a synthetic benchmark data set: the seed course, classes of students with "
        "1-3 submitted attempts per quiz, and students with open attempts to submit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=1000, help="Enrolled students.")
        parser.add_argument("--classes", type=int, default=10, help="Classes, one teacher each.")
        parser.add_argument(
            "--attempts",
            type=attempts_range,
            default=(1, 3),
            help="Submitted attempts per student and quiz, N or N-M (default 1-3).",
        )
        parser.add_argument(
            "--runners",
            type=int,
            default=300,
            help="Students in no class with an open attempt at every quiz (default 300).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (manage.py flush). Only for a benchmark database.",
        )

    def handle(self, *args, students, classes, attempts, runners, seed, reset, **options):
        if students < 0 or runners < 0 or classes < 1 or classes > max(students, 1):
            raise CommandError("Need students >= 0, runners >= 0 and 1 <= classes <= students.")
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        elif User.objects.filter(username__startswith=benchdata.PREFIX).exists():
            raise CommandError(
                "This database already holds benchmark data: use --reset to empty it first "
                "(only ever on a database kept for benchmarks)."
            )
        start = time.perf_counter()
        data = benchdata.build(
            students=students,
            classes=classes,
            attempts=attempts,
            runners=runners,
            seed=seed,
            progress=ProgressBar(self.stderr._out) if options["verbosity"] else None,
        )
        counts = data.counts
        if options["verbosity"]:
            self.stdout.write(
                f"Built {students:,} students in {classes} classes and {runners:,} runners: "
                f"{counts['attempts']:,} attempts, {counts['responses']:,} answers, "
                f"{counts['progress']:,} progress rows in {time.perf_counter() - start:.1f} s. "
                f"Every account's password: {benchdata.BENCH_PASSWORD}"
            )
