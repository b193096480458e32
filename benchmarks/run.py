"""The benchmark harness behind `make bench`: every page as a ratio to the ceiling.

    .venv/bin/python benchmarks/run.py [--students 1000] [--classes 10] [--duration 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/run.py

1. Builds a data set with build_data.py in a database of its own (SQLite file
   benchmarks/results/bench.sqlite3 unless DATABASE_URL is set), whose name must
   contain "bench": created and marked when missing, emptied first when it carries
   the builder's mark, refused untouched when it does not (database.py).
2. Serves it with the production settings (DEBUG off, a secret key made for the
   run, gunicorn with 2 sync workers, whitenoise) on 127.0.0.1 and a free port.
3. Signs a student and a teacher in through the login page; students with open
   attempts get sessions made by Django's session store (a login page per student
   would cost a password hash each).
4. Counts the SQL queries of one request of each page in-process (django.test.Client
   and CaptureQueriesContext, same database), before the server starts.
5. Drives every page with wrk in rounds (the ceiling, /healthz, in every round, the
   order reversed every other round), each page for --duration seconds with
   --connections connections, and reads the workers' peak memory (VmHWM, reset
   before each page) from /proc.
6. Prints the table and writes it as JSON to benchmarks/results/<timestamp>.json.

A page's ratio is its requests/s over the ceiling's in the same round; the table
shows the median over rounds. On a shared machine other processes take CPU from
some pages and not others: the table also shows the CPU time per request of
gunicorn and the database server ("cpu ms") and the same ratio computed from it
("cpu r."), which such noise hardly moves, and how many cores other processes kept
busy ("other"). --retries N measures a page again when that exceeds --noisy;
--nice -5 (root) runs gunicorn and wrk ahead of other work.

--ab KEY=VALUE,... serves a second server B with other environment (WORKERS=N for
its worker count, CHDIR=DIR for another copy of the project: a code change) and
measures both in the same rounds, e.g. --ab DJANGO_CONN_MAX_AGE=0.

--cluster measures what `make cluster` runs (deploy/run-local.sh, with its nginx config):
server A is nginx in front of one gunicorn instance, server B nginx in front of two,
each instance with --workers workers, both on PostgreSQL (DATABASE_URL, else the
builder's own database bench_cluster) and Redis (BENCH_REDIS_URL, else
redis://127.0.0.1:6379/5, emptied first), in the same rounds: `make bench-cluster`.
Its pages default to the ceiling, the anonymous lesson, the signed-in course and a save.

The parts: django_setup.py (the production settings), database.py and build_data.py
(the database and its data, data.py the builder), serving.py (gunicorn), load.py
(wrk and what its requests carry), plan.py (the pages and who requests what),
measure.py (queries, CPU time, the rounds) and report.py (the tables and the JSON).
"""

import argparse
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import database
import serving
from django_setup import BENCH, RESULTS, ROOT, database_url, log, production_env, setup
from load import sign_in
from measure import count_queries, run_rounds, warm_up
from plan import CEILING, KEYS, SAVERS, SUBMITS_PER_SECOND, plan
from report import report, summarise
from serving import Cluster, Server, manage

CLUSTER_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_cluster"
CLUSTER_REDIS_URL = "redis://127.0.0.1:6379/5"
CLUSTER_PAGES = "ceiling,lesson,course,save"


def parse_variant(text, workers):
    """--ab 'DJANGO_CONN_MAX_AGE=0,WORKERS=3': environment overrides of server B; CHDIR=DIR
    serves B from another copy of the project (same database), to measure a code change."""
    env, description, cwd = {}, [], str(ROOT)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            sys.exit(f"--ab expects KEY=VALUE pairs, got {item!r}")
        if key == "WORKERS":
            workers = int(value)
        elif key == "CHDIR":
            cwd = str(Path(value).resolve())
        else:
            env[key] = value
        description.append(item)
    return {
        "name": "B",
        "env": env,
        "workers": workers,
        "cwd": cwd,
        "description": ", ".join(description),
    }


def commit():
    """The checked-out commit, short, read from .git's files (no git process), or ""."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:7]
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()[:7]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0][:7]
    except OSError:
        pass
    return ""


def empty_redis(url):
    """The benchmark's own Redis database, emptied: its data set was just rebuilt, and a
    cache filled from the one before must not serve it."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        sys.exit(f"--cluster needs Redis: none answers at {url} ({error}); set BENCH_REDIS_URL.")
    return url


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--duration", type=int, default=3, help="Seconds per page per round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pages",
        help=f"Comma-separated, of: {','.join(KEYS)} (default: all; with --cluster, "
        f"{CLUSTER_PAGES}).",
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="Measure nginx in front of one gunicorn instance (A) against nginx in front of "
        "two (B), as `make cluster` runs them, on PostgreSQL and Redis.",
    )
    parser.add_argument(
        "--ab",
        metavar="KEY=VALUE,...",
        help="Also serve a second server B with these environment overrides (WORKERS=N for "
        "its worker count) and measure both in the same rounds, e.g. DJANGO_CONN_MAX_AGE=0.",
    )
    parser.add_argument(
        "--noisy",
        type=float,
        default=0.3,
        help="Measure a page again when other processes kept this many cores busy (0.3).",
    )
    parser.add_argument("--retries", type=int, default=0, help="Tries after a noisy one (0).")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Run gunicorn and wrk at this niceness; negative (root only) puts them ahead of "
        "other work on a shared machine.",
    )
    parser.add_argument("--label", default="", help="Stored in the JSON, e.g. what was tried.")
    parser.add_argument(
        "--allow-any-database",
        action="store_true",
        help="Accept a database whose name does not contain 'bench' (it must still be one "
        "the builder created).",
    )
    args = parser.parse_args()
    if args.cluster and (args.ab or args.nice):
        parser.error("--cluster measures its own two servers, at niceness 0: no --ab, --nice")
    if args.pages is None:
        args.pages = CLUSTER_PAGES if args.cluster else ",".join(KEYS)
    keys = [p.strip() for p in args.pages.split(",")]
    unknown = set(keys) - set(KEYS)
    if unknown:
        sys.exit(f"Unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(KEYS)}")
    args.pages = {CEILING} | {KEYS[k] for k in keys}
    variants = [
        {
            "name": "A",
            "env": {},
            "workers": args.workers,
            "cwd": str(ROOT),
            "description": "as configured",
        }
    ]
    if args.ab:
        variants.append(parse_variant(args.ab, args.workers))
    if args.cluster:
        variants = [
            {
                "name": name,
                "env": {},
                "workers": args.workers,
                "instances": instances,
                "cwd": str(ROOT),
                "description": f"nginx in front of {instances} gunicorn instance"
                + ("s" if instances > 1 else ""),
            }
            for name, instances in (("A", 1), ("B", 2))
        ]
    args.variants = [v["name"] for v in variants]
    return args, variants


def build(args, variants, target):
    """The data set, built by build_data.py in its own process, and the static files."""
    # Enough open attempts for every submit run, a few spare.
    submits = args.rounds * len(variants) * (args.retries + 1) * args.duration * SUBMITS_PER_SECOND
    runners = SAVERS + 2 + -(-submits // 10)
    log(f"Building the data set in {target.vendor} {target.name}")
    serving.python(
        BENCH / "build_data.py",
        "--reset",
        "--students",
        args.students,
        "--classes",
        args.classes,
        "--runners",
        runners,
        *(["--allow-any-name"] if args.allow_any_database else []),
    )
    manage("collectstatic", "--noinput", "--verbosity", "0")


def serve_and_measure(args, variants, the_plan, run_dir):
    """Every variant's server up, signed in, warmed up and measured in rounds: the rounds
    and the seconds they took."""
    import data
    from django.conf import settings

    servers = []
    try:
        for variant in variants:
            env = {**os.environ, **variant["env"]}
            if args.cluster:
                cluster_dir = run_dir / f"cluster-{variant['name']}"
                servers.append(
                    Cluster(
                        env,
                        variant["instances"],
                        variant["workers"],
                        cluster_dir,
                        settings.STATIC_ROOT,
                    )
                )
                continue
            if variant["cwd"] != str(ROOT):
                manage(
                    "collectstatic", "--noinput", "--verbosity", "0", cwd=variant["cwd"], env=env
                )
            log_path = run_dir / f"gunicorn-{variant['name']}.log"
            servers.append(Server(env, variant["workers"], log_path, variant["cwd"]))
        # Sessions live in the database: one sign-in serves every server.
        port = servers[0].port
        student_session, csrf = sign_in(port, the_plan["student"].username, data.BENCH_PASSWORD)
        teacher_session, _ = sign_in(port, the_plan["teacher"].username, data.BENCH_PASSWORD)
        personas = {None: "", "student": student_session, "teacher": teacher_session}
        for server in servers:
            warm_up(server, the_plan, personas, csrf)
        clock = time.perf_counter()
        rounds = run_rounds(servers, the_plan, args, personas, csrf)
        return rounds, time.perf_counter() - clock
    finally:
        for server in servers:
            server.stop()


def main():
    args, variants = parse_args()
    if args.nice:
        serving.NICE[:] = ["nice", "-n", str(args.nice)]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench does it).")

    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    run_dir = RESULTS / stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    if args.cluster:
        os.environ.setdefault("DATABASE_URL", CLUSTER_DATABASE_URL)
    target = database.locate(database_url())
    # The builder, the servers and this process share the settings and the secret key.
    env = production_env(target.url)
    if args.cluster:
        if not target.vendor.startswith("postgres"):
            sys.exit(f"--cluster shares one PostgreSQL database between its instances: {target}")
        env["REDIS_URL"] = empty_redis(os.environ.get("BENCH_REDIS_URL") or CLUSTER_REDIS_URL)
    os.environ.update(env)

    clock = time.perf_counter()
    build(args, variants, target)
    build_seconds = time.perf_counter() - clock

    setup(env)
    from django.conf import settings
    from django.db import connections

    the_plan = plan(args, run_dir)
    queries = count_queries(the_plan)
    connections.close_all()

    rounds, measure_seconds = serve_and_measure(args, variants, the_plan, run_dir)

    tables = [summarise([r[v] for r in rounds], queries, the_plan) for v in args.variants]
    db = settings.DATABASES["default"]
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "label": args.label,
        "database": target.vendor,
        "database_name": target.name,
        "students": args.students,
        "classes": args.classes,
        "class_size": the_plan["class_size"],
        "workers": args.workers,
        "connections": args.connections,
        "rounds": args.rounds,
        "duration": args.duration,
        "noisy_cores": args.noisy,
        "nice": args.nice,
        "retries": args.retries,
        "conn_max_age": db.get("CONN_MAX_AGE"),
        "conn_health_checks": db.get("CONN_HEALTH_CHECKS"),
        "database_options": {k: str(v) for k, v in db.get("OPTIONS", {}).items()},
        "variants": variants,
        "cpus": os.cpu_count(),
        "build_seconds": round(build_seconds, 1),
        "measure_seconds": round(measure_seconds, 1),
        "commit": commit(),
    }
    report(meta, variants, tables, RESULTS / f"{stamp}.json")


if __name__ == "__main__":
    main()
