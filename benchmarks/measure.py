"""Measurement: the SQL queries of each page in-process, a warm-up through gunicorn,
then every page with wrk in rounds, with the CPU time of gunicorn, wrk, the database
server and everything else on the machine, and the workers' memory."""

import os
import resource
import sys
import time
from pathlib import Path

from django_setup import HOST, log
from load import answer_body, make_session, wrk
from plan import PAGES, example
from serving import request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
    counts = {}
    for name, who, _goal, _p99 in PAGES:
        client = Client(HTTP_HOST=HOST)
        if name == "submit":
            method, session, accept = "POST", spare_session, ""
        else:
            method, path, session, body, accept = example(the_plan, name, sessions.get(who))
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
        expected = 302 if name == "submit" else 200
        if response.status_code != expected:
            sys.exit(f"{name}: {path} answered {response.status_code}, expected {expected}")
    return counts


def warm_up(server, the_plan, personas, csrf):
    """A few requests to every page, so that no round pays for first imports."""
    for name, who, _goal, _p99 in PAGES:
        if name == "submit":
            continue
        method, path, session, body, accept = example(the_plan, name, personas.get(who, ""))
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


# ------------------------------------------------------------------ CPU time


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


def snapshot(pids):
    """(wall clock, machine busy, the server's processes, wrk and other children, the
    database server), to subtract from a later one."""
    return (
        time.monotonic(),
        busy_seconds(),
        process_times(pids),
        children_seconds(),
        database_times(),
    )


# ------------------------------------------------------------------ with wrk


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
    pids = server.pids()
    before = snapshot(pids)
    result = wrk(
        server.port,
        the_plan["paths"][name],
        duration=args.duration,
        connections=args.connections,
        script=script,
        env=env,
    )
    after = snapshot(pids)
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
                    if tries[-1]["other_cores"] <= args.noisy or attempt == args.retries:
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
