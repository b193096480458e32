"""Lessons derived from the explainers: pure, no database."""

import re
from collections import Counter
from pathlib import Path

import pytest

from authoring.deriving import MAX_TITLE_WORDS, definitions, derive_lessons, shown
from authoring.parsing import parse_explainer, split_sentences

EXPLAINERS = Path(__file__).resolve().parents[2] / "fixtures" / "explainers"
FILES = sorted(p for p in EXPLAINERS.iterdir() if p.suffix in (".txt", ".md"))


def _sections(name):
    return parse_explainer((EXPLAINERS / name).read_text()).sections


@pytest.fixture(scope="module", params=FILES, ids=[p.name for p in FILES])
def derived(request):
    sections = parse_explainer(request.param.read_text()).sections
    return sections, derive_lessons(sections)


def _bare(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_one_lesson_per_section_titled_by_heading_when_there_is_one(derived):
    sections, lessons = derived
    assert len(lessons) == len(sections)
    for section, lesson in zip(sections, lessons, strict=True):
        if section.heading:
            assert lesson.title == section.heading
            assert lesson.titled_by_heading
        else:
            assert not lesson.titled_by_heading


def test_derived_titles_are_short_and_never_a_cut_sentence(derived):
    sections, lessons = derived
    for section, lesson in zip(sections, lessons, strict=True):
        if section.heading:
            continue
        title = lesson.title
        assert "…" not in title and "..." not in title
        assert 1 <= len(title.split()) <= MAX_TITLE_WORDS
        assert title != "About this section"
        for sentence in split_sentences(section.text):
            assert not _bare(sentence).startswith(_bare(title)), (title, sentence)
        assert title.split()[-1].lower().rstrip("?") not in {"the", "of", "and", "a", "to"}


def test_titles_are_unique_within_a_course(derived):
    _, lessons = derived
    titles = [lesson.title.lower() for lesson in lessons]
    assert len(set(titles)) == len(titles)


def test_summary_is_one_short_sentence_not_a_key_point(derived):
    sections, lessons = derived
    for section, lesson in zip(sections, lessons, strict=True):
        sentences = split_sentences(section.text)
        assert len(split_sentences(lesson.summary)) == 1
        assert lesson.summary.endswith((".", "?", "!"))
        first = len(sentences[0].split())
        assert len(lesson.summary.split()) <= first
        if any(len(other.split()) < first for other in sentences[1:]):
            assert len(lesson.summary.split()) < first
        assert lesson.summary not in lesson.key_points


def test_two_to_four_key_points_each_a_sentence_of_the_section(derived):
    sections, lessons = derived
    for section, lesson in zip(sections, lessons, strict=True):
        assert 2 <= len(lesson.key_points) <= 4
        normal = _bare(section.text)
        for point in lesson.key_points:
            assert _bare(point) in normal


def test_a_lesson_page_repeats_no_sentence_more_than_twice(derived):
    sections, lessons = derived
    for section, lesson in zip(sections, lessons, strict=True):
        page = [lesson.summary, *split_sentences(section.text), *lesson.key_points]
        page += [f"{d.term}: {d.meaning}" for d in lesson.glossary]
        counts = Counter(_bare(sentence) for sentence in page)
        assert max(counts.values()) <= 2


def _glossary(name):
    return {
        definition.term.lower(): definition.meaning
        for lesson in derive_lessons(_sections(name))
        for definition in lesson.glossary
    }


def test_glossary_of_the_carbon_explainer():
    glossary = _glossary("carbon-border-tax.txt")
    assert glossary["carbon leakage"].startswith("the risk that companies move production")
    assert "Carbon Border Adjustment Mechanism" in glossary["cbam"]
    assert glossary["eu ets"] == "EU Emissions Trading System"


def test_glossary_of_the_antibiotic_explainer():
    glossary = _glossary("antibiotic-resistance.md")
    assert glossary["superbugs"] == "Bacteria that resist several antibiotics"
    assert glossary["mrsa"] == "methicillin-resistant Staphylococcus aureus"
    assert glossary["antibiotic resistance"].startswith("the ability of bacteria to survive")
    assert glossary["amr"] == "antimicrobial resistance"


def test_glossary_meanings_never_start_with_a_conjunction():
    for path in FILES:
        for lesson in derive_lessons(parse_explainer(path.read_text()).sections):
            for definition in lesson.glossary:
                first = definition.meaning.split()[0].lower()
                assert first not in {"and", "or", "but", "so", "which"}, definition
                assert len(definition.meaning.split()) >= 2


def test_definitions_read_the_usual_ways_of_defining():
    text = (
        "Cities draw what planners call heat maps: charts of surface temperatures. "
        "Doctors follow an approach called triage, which means sorting patients by need."
    )
    found = {d.term: d.meaning for d in definitions(text)}
    assert found["heat maps"] == "charts of surface temperatures"
    assert found["triage"] == "sorting patients by need"


def test_shown_quotes_and_articles_as_the_text_does():
    sentence = "The 'coalition of the willing' refers to a group of countries."
    assert shown("coalition of the willing", sentence) == "the 'coalition of the willing'"
    assert shown("Antibiotic resistance", "Antibiotic resistance refers to it.") == (
        "antibiotic resistance"
    )
