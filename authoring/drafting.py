"""Draft questions for every section of an explainer.

An engine proposes candidate drafts from the text (`authoring.text_engine` is the
one we ship; a language-model service could be another). Whatever the engine,
every candidate goes through the same gate here: it must be well formed, it is
run through the item checks, drafts with warnings rank lower, and of two drafts
that give each other away only the better one is kept. Deterministic: the same
text gives the same drafts, in the same order.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Protocol

from quizzes.checks import Choice, Item, check_question, hard_findings
from quizzes.pool_checks import cues, topic_words

PER_SECTION = 8  # what drafting aims for; at least MIN_PER_SECTION are wanted
MIN_PER_SECTION = 5
CHOICES = 4
MAX_CHOICE_CHARS = 300
MAX_PER_SENTENCE = 3
MAX_PER_FAMILY = 4
MAX_CANDIDATES = 40  # per section, best by value, before the clash matrix
MULTIPLE_STARTS = 4  # select-all drafts tried as a section's first pick
# Of a draft's value, for each draft it rules out: both are tried, the better kept.
CLASH_COSTS = (0.4, 1.5)
FAMILY_VALUE = {  # understanding (why, what follows, what a term means) before recall
    "cause": 3.0,
    "purpose": 3.0,
    "definition": 2.6,
    "term": 2.2,
    "list": 2.0,
    "statements": 1.8,
    "statement": 1.6,
    "subject": 1.4,
    "mentions": 1.3,
    "not-named": 1.0,
    "detail": 1.2,
    "topic": 0.4,  # the explainer's own topic blanked out: the easiest to guess
    "filler": 0.1,  # a common word blanked out
}
CLIPPED_COST = 0.3
# Kept only where a section would otherwise fall short of MIN_PER_SECTION.
LAST_RESORT = frozenset({"filler"})


@dataclass(frozen=True)
class Draft:
    """A drafted multiple-choice question and where in the section it comes from."""

    prompt: str
    kind: str  # "single" or "multiple", as QuestionKind
    choices: tuple  # of (text, is_correct), in the order shown
    explanation: str
    source_passage: str
    family: str  # which kind of draft: "definition", "cause", "list", ...
    findings: tuple = ()  # item-check warnings, as text
    rank: int = 0  # 1 is the best draft of its section

    @cached_property
    def key(self):
        """A stable name for this draft: the same text drafts the same key."""
        body = "\n".join([self.family, self.prompt, *sorted(t for t, _ in self.choices)])
        return hashlib.sha1(body.encode()).hexdigest()[:16]

    def item(self, label=""):
        return Item(
            key=self.key,
            prompt=self.prompt,
            kind=self.kind,
            choices=tuple(Choice(text, correct) for text, correct in self.choices),
            explanation=self.explanation,
            source_passage=self.source_passage,
            label=label,
        )


class Engine(Protocol):
    """What drafting needs of an engine: candidate drafts for each section, judged
    against the whole explainer (distractors come from other sections)."""

    name: str

    def candidates(self, sections: Sequence[str]) -> list[list[Draft]]: ...


@dataclass
class SectionDrafts:
    drafts: list = field(default_factory=list)  # kept, best first
    refused: int = 0  # candidates that were not well formed


def problems(draft, section):
    """Why a draft cannot be offered as it is, or nothing."""
    texts = [text for text, _ in draft.choices]
    keys = sum(1 for _, correct in draft.choices if correct)
    found = [finding.message for finding in hard_findings(texts)]
    if len(texts) != CHOICES:
        found.append(f"{len(texts)} choices: {CHOICES} are wanted.")
    if draft.kind == "single" and keys != 1:
        found.append(f"{keys} keys: a single-answer question needs exactly one.")
    if draft.kind == "multiple" and not 1 <= keys < len(texts):
        found.append("A select-all question needs at least one key and one distractor.")
    if len({text.lower() for text in texts}) != len(texts):
        found.append("Two choices read the same.")
    if any(len(text) > MAX_CHOICE_CHARS for text in texts):
        found.append("A choice is too long.")
    if " ".join(draft.source_passage.split()) not in " ".join(section.split()):
        found.append("The source sentence is not in the section.")
    if draft.kind == "single" and any(
        correct and _plain(text) in _plain(draft.prompt) for text, correct in draft.choices
    ):
        found.append("The stem shows the key.")  # "Fit for 55" above a blank for "55%"
    return found


def arrange(choices, seed):
    """The choices in an order set by `seed`: key positions vary across a quiz, and
    the same draft is always laid out the same way."""
    digest = hashlib.sha1(seed.encode()).digest()
    return tuple(
        choice
        for _, choice in sorted(
            enumerate(choices), key=lambda pair: (digest[pair[0] % len(digest)], pair[0])
        )
    )


@lru_cache(maxsize=16384)
def _plain(text):
    """Words only, in lower case, possessives off: quotes, punctuation and "'s" never
    hide a shown key ("Ukraine's sovereignty" shows "Ukraine")."""
    words = re.findall(r"[\w'’-]+", text.lower().replace("’", "'"))
    return " " + " ".join(w.removesuffix("'s").strip("'") for w in words) + " "


def _shows_key(giver, taker):
    """`giver` states one of `taker`'s keys word for word, in its stem or its keys
    (short keys such as names and numbers, which the word-share check does not see)."""
    stated = [giver.prompt, *(text for text, correct in giver.choices if correct)]
    shown = _plain(" ".join(stated))
    return any(
        correct and len(text) >= 2 and _plain(text) in shown for text, correct in taker.choices
    )


def select(candidates, section, *, per_section=PER_SECTION):
    """The best well-formed candidates of one section that do not cue each other."""
    result = SectionDrafts()
    scored = []
    for draft in candidates:
        if problems(draft, section):
            result.refused += 1
            continue
        findings = check_question(draft.item(), section)
        if any(finding.hard for finding in findings):
            result.refused += 1
            continue
        draft = replace(draft, findings=tuple(str(f) for f in findings))
        score = FAMILY_VALUE.get(draft.family, 1.0) - 1.5 * len(findings)
        if "…" in draft.prompt:
            score -= CLIPPED_COST  # a clipped sentence stands alone less well than a whole one
        scored.append((-score, draft.key, draft))
    scored.sort(key=lambda entry: entry[:2])

    # The clash matrix is quadratic: only the best candidates go into it.
    drafts = _bounded([draft for _, _, draft in scored])
    value = {draft.key: -score for score, _, draft in scored}
    topic = topic_words([draft.item() for draft in drafts])
    clash = {draft.key: set() for draft in drafts}
    for i, one in enumerate(drafts):
        for other in drafts[i + 1 :]:
            if _gives_away(one, other, topic):
                clash[one.key].add(other.key)
                clash[other.key].add(one.key)
    # A quiz mixes single-answer and select-all questions where the text allows: try
    # the best few select-all drafts as the first choice, and keep the best outcome.
    starts = [[]] + [[d] for d in drafts if d.kind == "multiple"][:MULTIPLE_STARTS]
    outcomes = [
        _greedy(list(start), drafts, value, clash, per_section, cost)
        for cost in CLASH_COSTS
        for start in starts
    ]
    kept = max(outcomes, key=lambda kept: _outcome(kept, value))
    if len(kept) < per_section or len({d.kind for d in kept}) < 2:
        # Short sections: search the sets exhaustively, within a budget of steps.
        kept = max(
            [kept, _searched(drafts, value, clash, per_section)], key=lambda k: _outcome(k, value)
        )
    kept = _without_spare_last_resorts(kept)
    kept.sort(key=lambda d: (-value[d.key], d.key))
    result.drafts = [replace(draft, rank=rank) for rank, draft in enumerate(kept, start=1)]
    return result


SEARCH_STEPS = 20_000  # a short section's candidates are few: this covers them whole


def _searched(drafts, value, clash, per_section):
    """The best set of drafts that do not cue each other, by depth-first search with
    pruning (at most SEARCH_STEPS nodes, so its time is bounded whatever the text)."""
    best, steps = [], 0

    def visit(index, kept, banned):
        nonlocal best, steps
        steps += 1
        if _outcome(kept, value) > _outcome(best, value):
            best = list(kept)
        if len(kept) >= per_section or index >= len(drafts) or steps > SEARCH_STEPS:
            return
        free = [d for d in drafts[index:] if d.key not in banned]
        hopeful = kept + free[: per_section - len(kept)]
        if _outcome(hopeful, value)[:3] < _outcome(best, value)[:3]:
            return  # even taking every free draft could not do better
        draft = drafts[index]
        if draft.key not in banned:
            visit(index + 1, [*kept, draft], banned | clash[draft.key])
        visit(index + 1, kept, banned)

    visit(0, [], frozenset())
    return best


def _bounded(drafts):
    """The best MAX_CANDIDATES drafts, with every select-all draft among the first ones
    of its kind (drafts come best first)."""
    multiple = [d for d in drafts if d.kind == "multiple"][:MULTIPLE_STARTS]
    rest = [d for d in drafts if d not in multiple][: MAX_CANDIDATES - len(multiple)]
    return [d for d in drafts if d in multiple or d in rest]


def _outcome(kept, value):
    kinds = {d.kind for d in kept}
    good = [d for d in kept if d.family not in LAST_RESORT]
    return (
        min(len(kept), MIN_PER_SECTION),
        len(kinds),
        min(len(good), PER_SECTION),
        -len(kept) + len(good),  # no last resort beyond what the minimum needs
        sum(value[d.key] for d in kept),
    )


def _without_spare_last_resorts(kept):
    """Drop last-resort drafts the section does not need to reach the minimum."""
    spare = sorted((d for d in kept if d.family in LAST_RESORT), key=lambda d: d.key)
    kinds = {d.kind for d in kept}
    for draft in spare:
        rest = [d for d in kept if d is not draft]
        if len(rest) >= MIN_PER_SECTION and {d.kind for d in rest} == kinds:
            kept = rest
    return kept


def _greedy(kept, drafts, value, clash, per_section, cost):
    for capped in (True, False):  # past the caps only if the section is short of drafts
        while len(kept) < (per_section if capped else MIN_PER_SECTION):
            ruled_out = set().union(*(clash[k.key] for k in kept)) if kept else set()
            open_ = [d for d in drafts if d not in kept and d.key not in ruled_out]
            if capped:
                open_ = [d for d in open_ if _within_caps(d, kept)]
            if not open_:
                break
            # A draft that rules out many others costs the section more questions.
            left = {d.key for d in open_}
            best = max(open_, key=lambda d: (value[d.key] - cost * len(clash[d.key] & left), d.key))
            kept.append(best)
    return _improved(kept, drafts, value, clash, per_section)


def _open(kept, drafts, clash):
    ruled_out = set().union(*(clash[k.key] for k in kept)) if kept else set()
    return [d for d in drafts if d not in kept and d.key not in ruled_out]


def _improved(kept, drafts, value, clash, per_section):
    """Trade one kept draft for two or more that it alone rules out, while the section
    is short of drafts (a local search after the greedy pass)."""
    changed = True
    while changed and len(kept) < per_section:
        changed = False
        for draft in sorted(kept, key=lambda d: (value[d.key], d.key)):
            rest = [k for k in kept if k is not draft]
            added = []
            for other in sorted(_open(rest, drafts, clash), key=lambda d: (-value[d.key], d.key)):
                if other is not draft and not clash[other.key] & {a.key for a in added}:
                    added.append(other)
            if len(added) >= 2:
                kept[:] = rest + added[: per_section - len(rest)]
                changed = True
                break
    return kept


def _within_caps(draft, kept):
    same_sentence = sum(1 for k in kept if k.source_passage == draft.source_passage)
    same_family = sum(1 for k in kept if k.family == draft.family)
    return same_sentence < MAX_PER_SENTENCE and same_family < MAX_PER_FAMILY


def _gives_away(one, other, topic):
    """The two give each other away, or read the same: a quiz never asks one
    question twice in the same words."""
    items = [one.item(), other.item()]
    keys = {_plain(text) for text, correct in one.choices if correct}
    return (
        one.prompt == other.prompt
        or keys == {_plain(text) for text, correct in other.choices if correct}
        or _shows_key(one, other)
        or _shows_key(other, one)
        or cues(items[0], items[1], topic) is not None
        or cues(items[1], items[0], topic) is not None
    )


def draft_explainer(sections, *, engine=None, per_section=PER_SECTION):
    """Ranked drafts for each section's text, in order (a list of SectionDrafts)."""
    if engine is None:
        from .text_engine import TextEngine

        engine = TextEngine()
    candidates = engine.candidates(list(sections))
    return [
        select(found, section, per_section=per_section)
        for found, section in zip(candidates, sections, strict=True)
    ]
