"""The explainers the authoring tests import: the seed, and texts written by the team
for other fields (science, history, economics, geography), plain and Markdown."""

from pathlib import Path

from authoring.importing import import_explainer
from authoring.parsing import parse_explainer

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "explainers"
SEED = FOLDER / "coalition-of-the-willing.txt"
ALL = sorted(FOLDER.glob("*.*"))


def read(path):
    return path.read_text(encoding="utf-8")


def imported(path=SEED, *, slug=None, text=None, publish=False):
    """Import an explainer as a course of its own (the seed course keeps its slug)."""
    parsed = parse_explainer(text if text is not None else read(path), default_title=path.stem)
    return import_explainer(parsed=parsed, slug=slug or f"draft-{path.stem}", publish=publish)
