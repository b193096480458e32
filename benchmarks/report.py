"""Reporting: the table of each server (the median over rounds of each page, its ratio
to the ceiling and whether it met its goal), server B against server A, and the JSON
of the run."""

import json
import statistics

from django_setup import ROOT
from plan import CEILING, PAGES


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


def report(meta, variants, tables, out):
    """Print the tables of a run and write them, with meta, as JSON to out."""
    print(
        f"\nServer A: CONN_MAX_AGE={meta['conn_max_age']}, "
        f"CONN_HEALTH_CHECKS={meta['conn_health_checks']}, "
        f"options {meta['database_options']}"
    )
    for variant, rows in zip(variants, tables, strict=True):
        print_table(rows, meta, variant if len(variants) > 1 else None)
    if len(variants) > 1:
        print_comparison(tables, variants)
    names = [v["name"] for v in variants]
    pages = tables[0] if len(tables) == 1 else dict(zip(names, tables, strict=True))
    out.write_text(json.dumps({"meta": meta, "pages": pages}, indent=2, default=str))
    print(
        f"\nWritten to {out.relative_to(ROOT)} (build {meta['build_seconds']:.0f} s, "
        f"measure {meta['measure_seconds']:.0f} s)"
    )
