"""Drafting questions from the explainers: pure, no database."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from authoring.drafting import MIN_PER_SECTION, Draft, draft_explainer, problems
from authoring.parsing import parse_explainer, split_sentences
from quizzes.checks import check_question
from quizzes.pool_checks import cueing_pairs

EXPLAINERS = Path(__file__).resolve().parents[2] / "fixtures" / "explainers"
FILES = sorted(p for p in EXPLAINERS.iterdir() if p.suffix in (".txt", ".md"))


def _texts(path):
    return [section.text for section in parse_explainer(path.read_text()).sections]


@pytest.fixture(scope="module", params=FILES, ids=[p.name for p in FILES])
def drafted(request):
    texts = _texts(request.param)
    return texts, draft_explainer(texts)


def _normal(text):
    return " ".join(text.split())


def test_there_are_five_explainers_including_the_held_out_one():
    assert {p.name for p in FILES} >= {
        "coalition-of-the-willing.txt",
        "carbon-border-tax.txt",
        "printing-press.txt",
        "antibiotic-resistance.md",
        "urban-heat-islands.md",
    }


def test_every_section_gets_enough_drafts_of_both_kinds(drafted):
    texts, result = drafted
    assert len(result) == len(texts)
    for found in result:
        assert len(found.drafts) >= MIN_PER_SECTION
        assert any(draft.kind == "single" for draft in found.drafts)
    # Select-all drafts too, in all but the odd short section where every one would
    # give another draft's answer away (the gate keeps five singles over four mixed).
    mixed = [found for found in result if {d.kind for d in found.drafts} == {"single", "multiple"}]
    assert len(mixed) >= 0.85 * len(result)


def test_drafts_are_well_formed(drafted):
    texts, result = drafted
    for text, found in zip(texts, result, strict=True):
        for draft in found.drafts:
            choices = [choice for choice, _ in draft.choices]
            keys = [choice for choice, correct in draft.choices if correct]
            assert len(choices) == 4
            assert len({choice.lower() for choice in choices}) == 4
            assert all(choice.strip() for choice in choices)
            if draft.kind == "single":
                assert len(keys) == 1
                assert "select all" not in draft.prompt.lower()
            else:
                assert draft.kind == "multiple"
                assert 1 <= len(keys) < 4
                assert "Select all that apply" in draft.prompt
            assert draft.source_passage in split_sentences(text)
            assert not problems(draft, text)
            assert not any(finding.hard for finding in check_question(draft.item(), text))


def test_explanations_quote_the_source_sentence(drafted):
    _, result = drafted
    for found in result:
        for draft in found.drafts:
            assert f"“{_normal(draft.source_passage)}”" in _normal(draft.explanation)


def test_kept_drafts_do_not_give_each_other_away(drafted):
    _, result = drafted
    for found in result:
        assert cueing_pairs([draft.item() for draft in found.drafts]) == set()
        for one in found.drafts:
            for other in found.drafts:
                if one is other:
                    continue
                for key, correct in other.choices:
                    if correct:
                        assert key.lower() not in one.prompt.lower(), (one.prompt, key)


def test_ranks_run_from_one_and_best_first(drafted):
    _, result = drafted
    for found in result:
        assert [draft.rank for draft in found.drafts] == list(range(1, len(found.drafts) + 1))
        # A draft with warnings never ranks above one of its family without.
        for family in {draft.family for draft in found.drafts}:
            ranks = [(len(d.findings), d.rank) for d in found.drafts if d.family == family]
            assert ranks == sorted(ranks, key=lambda pair: pair[1])
            assert [f for f, _ in ranks] == sorted(f for f, _ in ranks)


def test_no_choice_is_cut_off(drafted):
    _, result = drafted
    dangling = {"the", "a", "an", "of", "with", "after", "to", "and", "or", "for", "in", "by"}
    for found in result:
        for draft in found.drafts:
            for choice, _ in draft.choices:
                if not choice.endswith("."):  # a whole sentence may end "built with."
                    assert choice.split()[-1].lower() not in dangling, choice


def test_drafting_is_deterministic():
    texts = _texts(EXPLAINERS / "coalition-of-the-willing.txt")
    first, second = draft_explainer(texts), draft_explainer(texts)
    assert [[d for d in f.drafts] for f in first] == [[d for d in f.drafts] for f in second]
    assert [[d.key for d in f.drafts] for f in first] == [[d.key for d in f.drafts] for f in second]


SECTION = (
    "Glaciers are slow rivers of ice. They form where snow builds up faster than it melts. "
    "Most of the world's glacier ice is in Antarctica."
)


def _draft(prompt, choices, source):
    return Draft(
        prompt=prompt,
        kind="single",
        choices=tuple(choices),
        explanation=f"The explainer says: “{source}” That is why.",
        source_passage=source,
        family="detail",
    )


@dataclass
class StubEngine:
    name: str = "stub"

    def candidates(self, sections):
        good = _draft(
            "Where is most of the world's glacier ice?",
            [("Antarctica", True), ("Greenland", False), ("Iceland", False), ("Alaska", False)],
            "Most of the world's glacier ice is in Antarctica.",
        )
        two_keys = _draft(
            "What are glaciers?",
            [("Rivers of ice", True), ("Slow", True), ("Lakes", False), ("Clouds", False)],
            "Glaciers are slow rivers of ice.",
        )
        not_in_text = _draft(
            "What melts glaciers?",
            [("Sun", True), ("Wind", False), ("Rain", False), ("Salt", False)],
            "Glaciers melt in the sun.",
        )
        shows_key = _draft(
            "Which words complete this sentence? “Most of the ice, in Antarctica, is in _____.”",
            [("Antarctica", True), ("Greenland", False), ("Iceland", False), ("Alaska", False)],
            "Most of the world's glacier ice is in Antarctica.",
        )
        return [[two_keys, good, not_in_text, shows_key] for _ in sections]


def test_a_custom_engine_goes_through_the_same_gate():
    (found,) = draft_explainer([SECTION], engine=StubEngine())
    assert [draft.prompt for draft in found.drafts] == ["Where is most of the world's glacier ice?"]
    assert found.refused == 3  # two keys, a source not in the text, a stem showing its key
    assert found.drafts[0].rank == 1
