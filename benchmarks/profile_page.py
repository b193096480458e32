"""Profile one page in-process against the benchmark database, with production settings.

    .venv/bin/python benchmarks/profile_page.py /progress/ --user bench-student-00001
    .venv/bin/python benchmarks/profile_page.py /teach/classes/1/ --user bench-teacher-01 --sql
    .venv/bin/python benchmarks/profile_page.py --requests benchmarks/results/<run>/submit-1.tsv

--requests replays a request list written by run.py (method, path, -, body,
Accept), each line once, signed in as the owner of the attempt in its path: for
requests that cannot be repeated, such as a submit.

Runs the request --repeat times through django.test.Client after a warm-up and
prints the median time, each SQL query with its time (--sql), and a pyinstrument
profile of all the runs (pyinstrument must be installed in the venv:
.venv/bin/pip install pyinstrument). The database is the one `make bench` built
(benchmarks/results/bench.sqlite3) unless DATABASE_URL is set.
"""

import argparse
import re
import statistics
import time
from pathlib import Path

from django_setup import database_url, production_env, setup


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--requests", help="A request list from run.py, each line sent once.")
    parser.add_argument("--user", help="Username to sign in as; anonymous if omitted.")
    parser.add_argument("--post", help="Form body: POST instead of GET.")
    parser.add_argument("--accept", default="")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="List the queries of one run.")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--all-frames", action="store_true", help="Show library frames too.")
    parser.add_argument("--html", help="Write the pyinstrument profile as HTML here too.")
    args = parser.parse_args()

    setup(production_env(database_url()))
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.user:
        client.force_login(User.objects.get(username=args.user))
    extra = {"HTTP_ACCEPT": args.accept} if args.accept else {}
    lines = []
    if args.requests:
        from quizzes.models import Attempt

        for line in Path(args.requests).read_text().splitlines():
            method, path, _cookie, body, accept = (line.split("\t") + [""] * 5)[:5]
            lines.append((method, path, body, accept))
        args.repeat = min(args.repeat, len(lines) - 4)

    def prepare():
        """The next request, ready to send: signing in is not part of its cost."""
        if lines:
            method, path, body, accept = lines.pop(0)
            pk = int(re.search(r"/attempts/(\d+)/", path).group(1))
            client.force_login(Attempt.objects.get(pk=pk).user)
            kwargs = {"HTTP_ACCEPT": accept} if accept else {}
        else:
            method = "GET" if args.post is None else "POST"
            path, body, kwargs = args.path, args.post, extra
        if method == "POST":
            return lambda: client.generic(
                "POST", path, body, "application/x-www-form-urlencoded", **kwargs
            )
        return lambda: client.get(path, **kwargs)

    for _ in range(3):
        response = prepare()()
    print(f"{args.path or args.requests}: {response.status_code}, {len(response.content):,} bytes")

    if args.sql:
        timings = []

        def timer(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - start, sql))

        send = prepare()
        with connection.execute_wrapper(timer):
            send()
        for seconds, sql in timings:
            print(f"{seconds * 1000:8.2f} ms  {sql[:300]}")
        print(f"{sum(s for s, _ in timings) * 1000:8.2f} ms in {len(timings)} queries")

    durations = []
    profiler = None
    if not args.no_profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    for _ in range(args.repeat):
        send = prepare()
        if profiler:
            profiler.start()
        start = time.perf_counter()
        send()
        durations.append(time.perf_counter() - start)
        if profiler:
            profiler.stop()
    print(
        f"median {statistics.median(durations) * 1000:.1f} ms, "
        f"min {min(durations) * 1000:.1f} ms over {args.repeat} runs"
    )
    if profiler:
        print(profiler.output_text(unicode=False, color=False, show_all=args.all_frames))
        if args.html:
            Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
