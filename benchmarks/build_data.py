"""Build the benchmark data set in a database of the builder's own.

    .venv/bin/python benchmarks/build_data.py --reset [--students 1000] [--classes 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \\
        benchmarks/build_data.py --reset

The database is --database, else DATABASE_URL, else benchmarks/results/bench.sqlite3.
It is created when missing and marked as the builder's own; one that is already
there must carry that mark, or it is refused untouched (database.py). Then it is
migrated, emptied with --reset (manage.py flush), and filled by data.build with the
production settings: the seed course, classes of students with 1-3 submitted
attempts per quiz, and runners, students in no class with an open attempt at every
quiz, for the benchmarks that save and submit. The harness (run.py) runs it.
"""

import argparse
import sys
import time

import database
from django_setup import database_url


def attempts_range(text):
    low, _, high = text.partition("-")
    try:
        low, high = int(low), int(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N or N-M, got {text!r}") from None
    if not 1 <= low <= high:
        raise argparse.ArgumentTypeError(f"expected 1 <= N <= M, got {text!r}")
    return low, high


class ProgressBar:
    """A plain-text progress bar: redrawn in place on a terminal, one line per step
    otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, step, total, label):
        filled = round(self.WIDTH * step / total) if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.perf_counter() - self.start
        line = f"build_data [{bar}] {step}/{total} {label} ({elapsed:.1f} s)"
        if self.tty:
            self.stream.write("\r" + line.ljust(100) + ("\n" if step == total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def check_sizes(students, classes, runners):
    if students < 0 or runners < 0 or classes < 1 or classes > max(students, 1):
        raise database.Refused("need students >= 0, runners >= 0 and 1 <= classes <= students.")


def fill(
    *,
    students=1000,
    classes=10,
    attempts=(1, 3),
    runners=300,
    seed=1,
    reset=False,
    verbosity=1,
    stdout=None,
    stderr=None,
):
    """Build the data set in the database Django is set up with, emptied first with
    reset; raises database.Refused, having written nothing, for impossible sizes, for a
    database the builder did not create, and for one holding benchmark data already
    without reset."""
    check_sizes(students, classes, runners)
    database.require_ours()

    import data
    from django.contrib.auth.models import User

    if reset:
        database.empty()
    elif User.objects.filter(username__startswith=data.PREFIX).exists():
        raise database.Refused(
            "this database already holds benchmark data: use --reset to empty it first."
        )
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    start = time.perf_counter()
    built = data.build(
        students=students,
        classes=classes,
        attempts=attempts,
        runners=runners,
        seed=seed,
        progress=ProgressBar(stderr) if verbosity else None,
    )
    counts = built.counts
    if verbosity:
        stdout.write(
            f"Built {students:,} students in {classes} classes and {runners:,} runners: "
            f"{counts['attempts']:,} attempts, {counts['responses']:,} answers, "
            f"{counts['progress']:,} progress rows in {time.perf_counter() - start:.1f} s. "
            f"Every account's password: {data.BENCH_PASSWORD}\n"
        )
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000, help="Enrolled students.")
    parser.add_argument("--classes", type=int, default=10, help="Classes, one teacher each.")
    parser.add_argument(
        "--attempts", type=attempts_range, default=(1, 3), help="Per student and quiz: N or N-M."
    )
    parser.add_argument("--runners", type=int, default=300, help="Students with open attempts.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed.")
    parser.add_argument(
        "--reset", action="store_true", help="Empty the database first (manage.py flush)."
    )
    parser.add_argument(
        "--database",
        default=database_url(),
        help="Database URL (default: DATABASE_URL, else benchmarks/results/bench.sqlite3).",
    )
    parser.add_argument(
        "--allow-any-name",
        action="store_true",
        help="Accept a name without 'bench' (the database must still be one it created).",
    )
    parser.add_argument("--verbosity", type=int, choices=[0, 1], default=1)
    args = parser.parse_args(argv)
    try:
        check_sizes(args.students, args.classes, args.runners)
    except database.Refused as error:
        parser.error(str(error))

    database.open_database(args.database, allow_any=args.allow_any_name)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    try:
        fill(
            students=args.students,
            classes=args.classes,
            attempts=args.attempts,
            runners=args.runners,
            seed=args.seed,
            reset=args.reset,
            verbosity=args.verbosity,
        )
    except database.Refused as error:
        sys.exit(f"build_data: {error}")


if __name__ == "__main__":
    main()
