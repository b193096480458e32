"""Time lesson deriving and question drafting on every explainer in fixtures/explainers.

Run from the repository root: `.venv/bin/python benchmarks/drafting.py`. For each
explainer it prints the sections, the best of five cold timings (caches cleared) of
derive_lessons plus draft_explainer, the drafts kept per section, their total and
the share of drafts with any item-check warning.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPLAINERS = ROOT / "fixtures" / "explainers"
RUNS = 5


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()  # parsing validates lesson bodies with the project's renderer


def measure(path):
    from authoring import drafting, text, text_engine
    from authoring.deriving import derive_lessons
    from authoring.drafting import draft_explainer
    from authoring.parsing import parse_explainer
    from quizzes.checks import content_words

    caches = [content_words, drafting._plain, text.stem, text_engine._content]

    sections = parse_explainer(path.read_text(encoding="utf-8")).sections
    texts = [section.text for section in sections]
    best, first, result = float("inf"), None, None
    for _ in range(RUNS):
        for cache in caches:
            cache.cache_clear()  # every run starts cold, as an import does
        start = time.perf_counter()
        derive_lessons(sections)
        result = draft_explainer(texts)
        took = time.perf_counter() - start
        first = took if first is None else first  # the first also loads word lists
        best = min(best, took)
    counts = [len(found.drafts) for found in result]
    drafts = [draft for found in result for draft in found.drafts]
    warned = sum(1 for draft in drafts if draft.findings)
    share = warned / len(drafts) if drafts else 0.0
    return len(sections), best, first, counts, len(drafts), share


def main():
    _setup()
    for path in sorted(EXPLAINERS.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        sections, seconds, first, counts, total, warned = measure(path)
        print(
            f"{path.name}: {sections} sections, {seconds:.3f} s (first run {first:.3f} s), "
            f"drafts per section {counts}, {total} drafts, {warned:.0%} with warnings"
        )


if __name__ == "__main__":
    main()
