"""The benchmark harness behind `make bench`: every page as a ratio to the ceiling.

    .venv/bin/python benchmarks/run.py [--students 1000] [--classes 10] [--duration 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/run.py

1. Builds a data set with `manage.py bench_data` in its own database (SQLite file
   benchmarks/results/bench.sqlite3 unless DATABASE_URL is set; a PostgreSQL
   database is created when missing and emptied first, so its name must contain
   "bench").
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
"""

import argparse
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"

NICE = []  # ["nice", "-n", "-5"] with --nice -5: server and wrk ahead of other processes


def prioritise(pid):
    """With --nice: also the process's scheduler autogroup (a session of its own), since
    with autogroups a nice value only counts inside its own session."""
    if NICE:
        try:
            Path(f"/proc/{pid}/autogroup").write_text(NICE[-1])
        except OSError:
            pass


SAVERS = 20  # runners whose open attempts take the attempt page and save benchmarks
SUBMITS_PER_SECOND = 250  # capacity planned for the submit benchmark, per second of run

# name, who, goal ratio to the ceiling (None: no goal), goal p99 in ms
PAGES = [
    ("ceiling (/healthz)", None, None, None),
    ("home, anonymous", None, None, None),
    ("home, signed in", "student", None, None),
    ("lesson, anonymous", None, 0.25, None),
    ("course, signed in", "student", 0.12, None),
    ("lesson, signed in", "student", 0.12, None),
    ("progress", "student", 0.12, None),
    ("attempt page", "runner", 0.12, None),
    ("save one answer", "runner", 0.15, None),
    ("submit", "runner", 0.10, 250),
    ("result page", "student", None, None),
    ("class grid, 100 students", "teacher", 0.03, None),
    ("class CSV", "teacher", None, None),
    ("quiz statistics", "teacher", None, None),
]
CEILING = PAGES[0][0]
# Short names for --pages.
KEYS = dict(
    zip(
        "ceiling home home-in lesson course lesson-in progress attempt save submit result grid"
        " csv stats".split(),
        (p[0] for p in PAGES),
        strict=True,
    )
)


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ environment


def production_env(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
    )
    return env


def check_database(url, allow_any):
    """The run empties its database: refuse one that is not clearly for benchmarks."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:])  # as dj-database-url reads it: sqlite:////abs, sqlite:///rel
        path = path if path.is_absolute() else ROOT / path
        if not allow_any and "bench" not in path.name:
            sys.exit(f"Refusing to empty {path}: a benchmark database's name contains 'bench'.")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return "sqlite", str(path)
    name = parts.path.lstrip("/")
    if name == "test":
        sys.exit("Refusing the database named 'test': the test suite uses it.")
    if not allow_any and "bench" not in name:
        sys.exit(f"Refusing to empty database {name!r}: its name must contain 'bench'.")
    if parts.scheme.startswith("postgres"):
        _create_postgres_database(parts, name)
    return parts.scheme, name


def _create_postgres_database(parts, name):
    import psycopg

    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"Creating PostgreSQL database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


# ------------------------------------------------------------------ data and sessions


def make_session(user):
    """A signed-in session as django.contrib.auth.login leaves it, with the sliding
    session's renewal stamp, so the first request does not rewrite it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["renewed_at"] = int(time.time())
    session.create()
    return session.session_key


def answer_body(attempt, *, confirm):
    """The whole attempt form, every question answered, as the Submit button sends it."""
    fields = [("shown", q["id"]) for q in attempt.paper["questions"]]
    fields += [(f"q{q['id']}", q["choices"][0]["id"]) for q in attempt.paper["questions"]]
    if confirm:
        fields.append(("confirm", "yes"))
    return urlencode(fields)


def plan(args, run_dir):
    """Who requests what: paths, sessions and request lists for the replayed pages."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from learning.models import Classroom
    from quizzes import benchdata
    from quizzes.models import Attempt, Quiz

    student = User.objects.get(username=benchdata.student_name(1))
    teacher = User.objects.get(username=benchdata.teacher_name(1))
    classroom = Classroom.objects.get(teachers=teacher)
    quizzes = list(Quiz.objects.select_related("lesson__course").order_by("lesson__position"))
    quiz = quizzes[0]
    lesson = quiz.lesson
    result = Attempt.objects.submitted().filter(user=student, quiz=quiz).order_by("-number")[0]
    runners = list(User.objects.filter(username__startswith=f"{benchdata.PREFIX}runner-"))
    runners.sort(key=lambda u: u.username)
    if len(runners) < SAVERS + 2:
        sys.exit(f"Need at least {SAVERS + 2} runners; bench_data made {len(runners)}.")
    sessions = {u.pk: make_session(u) for u in runners}
    open_attempts = {}
    for attempt in Attempt.objects.open().filter(user__in=runners).select_related("quiz__lesson"):
        open_attempts.setdefault(attempt.user_id, []).append(attempt)
    for attempts in open_attempts.values():
        attempts.sort(key=lambda a: a.quiz.lesson.position)

    savers, submitters, spare = runners[:SAVERS], runners[SAVERS:-1], runners[-1]
    # Attempt pages and saves: round and round the savers' attempts, a question at a time.
    saver_attempts = [a for u in savers for a in open_attempts[u.pk]]
    attempt_lines = [
        ("GET", reverse("quizzes:attempt", args=[a.pk]), sessions[a.user_id], "", "")
        for a in saver_attempts
    ]
    save_lines = []
    for index in range(len(quiz.questions.all())):
        for a in saver_attempts:
            q = a.paper["questions"][index]
            body = urlencode([("shown", q["id"]), (f"q{q['id']}", q["choices"][index % 2]["id"])])
            save_lines.append(
                (
                    "POST",
                    reverse("quizzes:save", args=[a.pk]),
                    sessions[a.user_id],
                    body,
                    "application/json",
                )
            )
    # Submits: each request its own fresh attempt, a different student each time.
    pool = [
        (
            "POST",
            reverse("quizzes:submit", args=[a.pk]),
            sessions[a.user_id],
            answer_body(a, confirm=True),
            "",
        )
        for position in range(len(quizzes))
        for u in submitters
        for a in open_attempts[u.pk][position : position + 1]
    ]
    slots = args.rounds * len(args.variants) * (args.retries + 1)
    share = len(pool) // slots
    needed = int(args.duration * SUBMITS_PER_SECOND)
    if share < needed:
        log(
            f"Warning: {share} fresh attempts per submit round for {needed} planned;"
            f" run bench_data with more --runners."
        )
    files = {}

    def write(name, lines):
        path = run_dir / f"{name}.tsv"
        path.write_text("".join("\t".join(map(str, line)) + "\n" for line in lines))
        return path

    # Indexed by slot: round number x variant count + variant number.
    files["attempt page"] = [write("attempt-page", attempt_lines)] * slots
    files["save one answer"] = [write("save", save_lines)] * slots
    files["submit"] = [
        write(f"submit-{n + 1}", pool[n * share : (n + 1) * share]) for n in range(slots)
    ]

    course_url = reverse("learning:course", args=[lesson.course.slug])
    lesson_url = reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])
    paths = {
        CEILING: reverse("healthz"),
        "home, anonymous": reverse("home"),
        "home, signed in": reverse("home"),
        "lesson, anonymous": lesson_url,
        "course, signed in": course_url,
        "lesson, signed in": lesson_url,
        "progress": reverse("quizzes:progress"),
        "attempt page": attempt_lines[0][1],
        "save one answer": save_lines[0][1],
        "submit": pool[0][1],
        "result page": reverse("quizzes:result", args=[result.pk]),
        "class grid, 100 students": reverse("learning:class_grid", args=[classroom.pk]),
        "class CSV": reverse("learning:class_csv", args=[classroom.pk]),
        "quiz statistics": reverse("quizzes:stats", args=[quiz.pk]),
    }
    spare_attempts = open_attempts[spare.pk]
    return {
        "student": student,
        "teacher": teacher,
        "classroom": classroom,
        "class_size": classroom.enrollments.count(),
        "paths": paths,
        "files": files,
        "pool": pool,
        "submitters": submitters,
        "spare": (spare, sessions[spare.pk], spare_attempts),
        "save_example": save_lines[0],
        "attempt_example": attempt_lines[0],
    }


def count_queries(the_plan):
    """SQL queries of one steady-state request of each page, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    spare, spare_session, spare_attempts = the_plan["spare"]
    sessions = {
        None: None,
        "student": make_session(the_plan["student"]),
        "teacher": make_session(the_plan["teacher"]),
    }
    counts, statuses = {}, {}
    for name, who, _goal, _p99 in PAGES:
        client = Client(HTTP_HOST=HOST)
        if name in ("attempt page", "save one answer"):
            method, path, session, body, accept = (
                the_plan["attempt_example"] if name == "attempt page" else the_plan["save_example"]
            )
        elif name == "submit":
            method, session, accept = "POST", spare_session, ""
        else:
            method, path, session, body, accept = "GET", the_plan["paths"][name], None, "", ""
            session = sessions[who]
        if session:
            client.cookies["sessionid"] = session
        for repeat in range(2):  # the second request is the one counted
            if name == "submit":
                attempt = spare_attempts[repeat]
                path = reverse("quizzes:submit", args=[attempt.pk])
                body = answer_body(attempt, confirm=True)
            kwargs = {"HTTP_ACCEPT": accept} if accept else {}
            with CaptureQueriesContext(connection) as ctx:
                if method == "GET":
                    response = client.get(path, **kwargs)
                else:
                    response = client.generic(
                        "POST", path, body, "application/x-www-form-urlencoded", **kwargs
                    )
        counts[name] = len(ctx)
        statuses[name] = response.status_code
        expected = 302 if name == "submit" else 200
        if response.status_code != expected:
            sys.exit(f"{name}: {path} answered {response.status_code}, expected {expected}")
    return counts


# ------------------------------------------------------------------ the server


def cookies_from(response):
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {key: morsel.value for key, morsel in jar.items()}


def request(port, method, path, *, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def sign_in(port, username, password):
    """Through the login page, as a browser does: the form's CSRF token, then a POST."""
    response, html = request(port, "GET", "/accounts/login/")
    cookies = cookies_from(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken']}",
    }
    response, _ = request(port, "POST", "/accounts/login/", headers=headers, body=body)
    if response.status != 302:
        sys.exit(f"Login of {username} failed: {response.status}")
    cookies.update(cookies_from(response))
    return cookies["sessionid"], cookies["csrftoken"]


class Server:
    def __init__(self, env, workers, log_path, cwd=ROOT):
        self.port = free_port()
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                *NICE,
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=bool(NICE),
        )
        prioritise(self.process.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode}; see {log_path}")
            try:
                response, _ = request(self.port, "GET", "/healthz")
                if response.status == 200 and len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer on port {self.port}; see {log_path}")

    def workers(self):
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            children = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    children.append(int(stat.parent.name))
            return children

    def reset_peaks(self):
        for pid in self.workers():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
            except OSError:
                pass

    def memory_mb(self, field):
        """The largest value of a /proc/<pid>/status field among the workers, in MB."""
        values = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(rf"{field}:\s+(\d+) kB", status)
            if match:
                values.append(int(match.group(1)) / 1024)
        return max(values, default=None)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# ------------------------------------------------------------------ wrk


def wrk(port, path, *, duration, connections, script, env):
    command = [
        *NICE,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / script),
        f"http://{HOST}:{port}{path}",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=bool(NICE),
    )
    prioritise(process.pid)
    stdout, stderr = process.communicate(timeout=duration + 60)
    match = re.search(r"^BENCH_JSON (.*)$", stdout, re.MULTILINE)
    if process.returncode or not match:
        sys.exit(f"wrk failed ({process.returncode}):\n{stdout}\n{stderr}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """CPU seconds spent not idle since boot, all cores together."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


def process_times(pids):
    """{pid: CPU seconds so far} of the processes still alive."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return times


def cpu_between(before, after):
    """CPU seconds the processes used between two process_times snapshots: one that
    ended in between is left out, one that started is counted whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def database_times():
    """CPU seconds of the PostgreSQL server's processes (none with SQLite)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in ("postgres", "postmaster"):
                pids.append(comm.parent.name)
        except OSError:
            continue
    return process_times(pids)


def children_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(server, the_plan, args, name, who, slot, personas, csrf):
    env = {"BENCH_CSRF": csrf, "BENCH_THREADS": "1"}
    if name in the_plan["files"]:
        script = "replay.lua"
        env["BENCH_REQUESTS"] = str(the_plan["files"][name][slot])
        env["BENCH_MODE"] = "once" if name == "submit" else "cycle"
    else:
        script = "get.lua"
        env["BENCH_COOKIE"] = personas.get(who, "")
    server.reset_peaks()
    pids = [server.process.pid, *server.workers()]
    before = (
        time.monotonic(),
        busy_seconds(),
        process_times(pids),
        children_seconds(),
        database_times(),
    )
    result = wrk(
        server.port,
        the_plan["paths"][name],
        duration=args.duration,
        connections=args.connections,
        script=script,
        env=env,
    )
    after = (
        time.monotonic(),
        busy_seconds(),
        process_times(pids),
        children_seconds(),
        database_times(),
    )
    wall, busy, loader = after[0] - before[0], after[1] - before[1], after[3] - before[3]
    served = cpu_between(before[2], after[2])
    database = cpu_between(before[4], after[4])
    # Cores kept busy by the server, by wrk, and by anything else on the machine
    # (other people's tests): the last one says how far to trust the round.
    # A PostgreSQL server's processes that ended during the run are missed: a
    # connection per request (CONN_MAX_AGE=0) shows up as "other".
    result["server_cores"] = served / wall
    result["database_cores"] = database / wall
    result["cpu_ms"] = 1000 * (served + database) / max(result["requests"], 1)
    result["wrk_cores"] = loader / wall
    result["other_cores"] = max(0.0, (busy - served - loader - database) / wall)
    # VmHWM counts the pages of the memory-mapped SQLite file a worker touched (shared
    # page cache); RssAnon is the worker's own memory.
    result["peak_mb"] = server.memory_mb("VmHWM")
    result["anon_mb"] = server.memory_mb("RssAnon")
    return result


def run_rounds(servers, the_plan, args, personas, csrf):
    """rounds[n][variant][page]: every page on every server in each round; the order
    of pages is reversed every other round, the order of servers every other page."""
    by_name = {p[0]: p for p in PAGES}
    names = [name for name in by_name if name in args.pages]
    rounds = []
    for number in range(args.rounds):
        order = names if number % 2 == 0 else list(reversed(names))
        results = {variant: {} for variant in args.variants}
        for index, name in enumerate(order):
            variants = list(enumerate(args.variants))
            if (number + index) % 2:
                variants.reverse()
            for v, variant in variants:
                # Another process took the CPU (someone's tests on a shared machine):
                # measure again, keep the quietest try. A submit try needs fresh attempts.
                tries = []
                for attempt in range(args.retries + 1):
                    slot = (number * len(args.variants) + v) * (args.retries + 1) + attempt
                    tries.append(
                        measure(
                            servers[v],
                            the_plan,
                            args,
                            name,
                            by_name[name][1],
                            slot,
                            personas,
                            csrf,
                        )
                    )
                    if tries[-1]["other_cores"] <= args.noisy:
                        break
                    log(f"  {name}: {tries[-1]['other_cores']:.2f} cores busy elsewhere, again")
                result = min(tries, key=lambda t: t["other_cores"])
                result["tries"] = len(tries)
                results[variant][name] = result
                log(
                    f"round {number + 1}/{args.rounds} {variant + ' ' if len(servers) > 1 else ''}"
                    f"{name:<26} {result['rps']:8.1f} req/s"
                    f"  p50 {result['p50_us'] / 1000:6.1f} ms"
                    f"  p99 {result['p99_us'] / 1000:7.1f} ms"
                    f"  other load {result['other_cores']:.2f} cores"
                    + (
                        f"  {result['status_errors']} non-2xx/3xx"
                        if result["status_errors"]
                        else ""
                    )
                    + (f"  {result['wrapped']} reused attempts" if result["wrapped"] else "")
                )
        rounds.append(results)
    return rounds


def warm_up(server, the_plan, personas, csrf):
    """A few requests to every page, so that no round pays for first imports."""
    for name, who, _goal, _p99 in PAGES:
        if name == "submit":
            continue
        if name in ("attempt page", "save one answer"):
            method, path, session, body, accept = (
                the_plan["attempt_example"] if name == "attempt page" else the_plan["save_example"]
            )
        else:
            method, path, session, body, accept = "GET", the_plan["paths"][name], "", "", ""
            session = personas.get(who, "")
        headers = {"Cookie": f"csrftoken={csrf}" + (f"; sessionid={session}" if session else "")}
        headers["X-CSRFToken"] = csrf
        if accept:
            headers["Accept"] = accept
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _ in range(6):
            response, _ = request(server.port, method, path, headers=headers, body=body or None)
            if response.status != 200:
                sys.exit(f"{name}: {method} {path} answered {response.status} through gunicorn")
    # One submit through gunicorn, on an attempt kept aside: the redirect to the result.
    _spare, session, attempts = the_plan["spare"]
    attempt = attempts[2]
    headers = {
        "Cookie": f"csrftoken={csrf}; sessionid={session}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    response, _ = request(
        server.port,
        "POST",
        f"/attempts/{attempt.pk}/submit/",
        headers=headers,
        body=answer_body(attempt, confirm=True),
    )
    if response.status != 302 or "/result/" not in (response.getheader("Location") or ""):
        sys.exit(f"submit through gunicorn answered {response.status}")


# ------------------------------------------------------------------ the report


def summarise(rounds, queries, the_plan):
    """Rows of the table for one server; rounds[n][page] are that server's results."""
    from quizzes.models import Attempt

    rows = []
    names = [p[0] for p in PAGES if p[0] in rounds[0]]
    goals = {p[0]: (p[2], p[3]) for p in PAGES}
    submitted = Attempt.objects.submitted().filter(user__in=the_plan["submitters"]).count()
    for name in names:
        per_round = [r[name] for r in rounds]
        ratios = [r[name]["rps"] / r[CEILING]["rps"] for r in rounds if CEILING in r]
        cpu_ratios = [r[CEILING]["cpu_ms"] / r[name]["cpu_ms"] for r in rounds if CEILING in r]
        goal_ratio, goal_p99 = goals[name]
        ratio = statistics.median(ratios) if ratios else None
        p99 = max(x["p99_us"] for x in per_round) / 1000
        met = None
        if goal_ratio is not None and ratio is not None:
            met = ratio >= goal_ratio and (goal_p99 is None or p99 < goal_p99)
        row = {
            "page": name,
            "path": the_plan["paths"][name],
            "rps": statistics.median(x["rps"] for x in per_round),
            "p50_ms": statistics.median(x["p50_us"] for x in per_round) / 1000,
            "p99_ms": p99,
            "queries": queries.get(name),
            "ratio": ratio,
            "ratio_min": min(ratios) if ratios else None,
            "ratio_max": max(ratios) if ratios else None,
            "cpu_ms": statistics.median(x["cpu_ms"] for x in per_round),
            "cpu_ratio": statistics.median(cpu_ratios) if cpu_ratios else None,
            "goal_ratio": goal_ratio,
            "goal_p99_ms": goal_p99,
            "met": met,
            "peak_mb": max((x["peak_mb"] or 0) for x in per_round) or None,
            "anon_mb": max((x["anon_mb"] or 0) for x in per_round) or None,
            "other_cores": statistics.fmean(x["other_cores"] for x in per_round),
            "requests": sum(x["requests"] for x in per_round),
            "errors": sum(
                x["status_errors"] + x["connect_errors"] + x["read_errors"] + x["timeouts"]
                for x in per_round
            ),
            "reused_attempts": sum(x["wrapped"] for x in per_round),
            "rounds": per_round,
        }
        if name == "submit":
            row["attempts_submitted_in_run"] = submitted
        rows.append(row)
    return rows


def print_table(rows, meta, variant=None):
    print()
    title = (
        f"{meta['database']} | {meta['students']} students in {meta['classes']} classes | "
        f"gunicorn {variant['workers'] if variant else meta['workers']} sync workers | "
        f"wrk {meta['connections']} connections, {meta['rounds']} rounds x {meta['duration']} s"
    )
    if variant:
        title += f" | server {variant['name']}: {variant['description']}"
    print(title)
    header = (
        f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>7} "
        f"{'ratio':>6} {'goal':>6} {'met':>4} {'cpu ms':>7} {'cpu r.':>6} {'peak MB':>8} "
        f"{'anon MB':>8} {'errors':>6} {'other':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        goal = "" if row["goal_ratio"] is None else f"{row['goal_ratio']:.2f}"
        if row["goal_p99_ms"]:
            goal += "*"
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        peak = "" if row["peak_mb"] is None else f"{row['peak_mb']:.0f}"
        anon = "" if row["anon_mb"] is None else f"{row['anon_mb']:.0f}"
        queries = "" if row["queries"] is None else row["queries"]
        print(
            f"{row['page']:<26} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{queries:>7} {ratio:>6} {goal:>6} {met:>4} {row['cpu_ms']:>7.2f} "
            f"{row['cpu_ratio']:>6.3f} {peak:>8} {anon:>8} {row['errors']:>6} "
            f"{row['other_cores']:>6.2f}"
        )
    print(
        "ratio: req/s over the ceiling's in the same round, median of rounds; p50: median of "
        "rounds; p99: worst round; * also p99 under 250 ms; queries: one request, in-process; "
        "cpu ms: CPU time per request of gunicorn and the database server; cpu r.: the "
        "ceiling's cpu ms over the page's, a ratio other processes on the machine hardly move; "
        "peak MB: highest worker VmHWM while the page ran (with SQLite it counts the shared, "
        "memory-mapped database pages too); anon MB: a worker's own memory after it; "
        "other: CPU cores busy with other processes (mean of rounds)"
    )
    for row in rows:
        if row["reused_attempts"]:
            print(
                f"Warning: {row['page']}: {row['reused_attempts']} requests reused an attempt "
                f"already submitted (too few fresh attempts): its figure is too high."
            )
        if row["errors"]:
            print(f"Warning: {row['page']}: {row['errors']} failed or non-2xx/3xx responses.")


def print_comparison(tables, variants):
    (a, rows_a), (b, rows_b) = zip(variants, tables, strict=True)
    print(f"\nServer B ({b['description']}) against server A ({a['description']}), same rounds")
    print(
        f"{'page':<26} {'ratio A':>8} {'ratio B':>8} {'req/s B/A':>10} "
        f"{'cpu ms A':>9} {'cpu ms B':>9} {'cpu B/A':>8}"
    )
    for row_a, row_b in zip(rows_a, rows_b, strict=True):
        print(
            f"{row_a['page']:<26} {row_a['ratio']:>8.3f} {row_b['ratio']:>8.3f} "
            f"{row_b['rps'] / row_a['rps']:>10.2f} {row_a['cpu_ms']:>9.2f} "
            f"{row_b['cpu_ms']:>9.2f} {row_b['cpu_ms'] / row_a['cpu_ms']:>8.2f}"
        )


# ------------------------------------------------------------------ main


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--duration", type=int, default=3, help="Seconds per page per round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pages", default=",".join(KEYS), help=f"Comma-separated, of: {','.join(KEYS)}."
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
        help="Empty the database even when its name does not contain 'bench'.",
    )
    args = parser.parse_args()
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
    args.variants = [v["name"] for v in variants]
    if args.nice:
        NICE[:] = ["nice", "-n", str(args.nice)]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench does it).")

    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    run_dir = RESULTS / stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite3'}"
    vendor, database = check_database(database_url, args.allow_any_database)
    env = production_env(database_url)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE_"))})

    # Enough open attempts for every submit run, a few spare.
    submits = args.rounds * len(variants) * (args.retries + 1) * args.duration * SUBMITS_PER_SECOND
    runners = SAVERS + 2 + -(-submits // 10)
    clock = time.perf_counter()
    log(f"Building the data set in {vendor} {database}")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(
        env,
        "bench_data",
        "--reset",
        "--students",
        str(args.students),
        "--classes",
        str(args.classes),
        "--runners",
        str(runners),
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    build_seconds = time.perf_counter() - clock

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.db import connections

    from quizzes import benchdata

    the_plan = plan(args, run_dir)
    queries = count_queries(the_plan)
    connections.close_all()

    servers = []
    try:
        for variant in variants:
            if variant["cwd"] != str(ROOT):
                subprocess.run(
                    [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                    cwd=variant["cwd"],
                    env={**env, **variant["env"]},
                    check=True,
                )
            servers.append(
                Server(
                    {**env, **variant["env"]},
                    variant["workers"],
                    run_dir / f"gunicorn-{variant['name']}.log",
                    variant["cwd"],
                )
            )
        # Sessions live in the database: one sign-in serves every server.
        student_session, csrf = sign_in(
            servers[0].port, the_plan["student"].username, benchdata.BENCH_PASSWORD
        )
        teacher_session, _ = sign_in(
            servers[0].port, the_plan["teacher"].username, benchdata.BENCH_PASSWORD
        )
        personas = {None: "", "student": student_session, "teacher": teacher_session}
        for server in servers:
            warm_up(server, the_plan, personas, csrf)
        clock = time.perf_counter()
        rounds = run_rounds(servers, the_plan, args, personas, csrf)
        measure_seconds = time.perf_counter() - clock
    finally:
        for server in servers:
            server.stop()

    tables = [summarise([r[v] for r in rounds], queries, the_plan) for v in args.variants]
    db = settings.DATABASES["default"]
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "label": args.label,
        "database": vendor,
        "database_name": database,
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
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }
    print(
        f"\nServer A: CONN_MAX_AGE={meta['conn_max_age']}, "
        f"CONN_HEALTH_CHECKS={meta['conn_health_checks']}, "
        f"options {meta['database_options']}"
    )
    for variant, rows in zip(variants, tables, strict=True):
        print_table(rows, meta, variant if len(variants) > 1 else None)
    if len(variants) > 1:
        print_comparison(tables, variants)
    out = RESULTS / f"{stamp}.json"
    pages = tables[0] if len(tables) == 1 else dict(zip(args.variants, tables, strict=True))
    out.write_text(json.dumps({"meta": meta, "pages": pages}, indent=2, default=str))
    print(
        f"\nWritten to {out.relative_to(ROOT)} (build {build_seconds:.0f} s, "
        f"measure {measure_seconds:.0f} s)"
    )


if __name__ == "__main__":
    main()
