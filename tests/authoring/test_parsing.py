"""Parsing an explainer into sections: pure functions, no database."""

import pytest

from authoring.parsing import (
    MAX_TITLE_LENGTH,
    ExplainerError,
    course_slug,
    decode_explainer,
    parse_explainer,
    split_sentences,
    title_from_sentence,
)

THREE_LINES = (
    "Ukraine asked for help. Allies answered quickly.\n"
    "A second paragraph sits on its own line.\n"
    "The third paragraph closes the explainer!\n"
)


def texts(parsed):
    return [section.text for section in parsed.sections]


def test_one_paragraph_per_line_makes_one_section_each():
    parsed = parse_explainer(THREE_LINES)

    assert texts(parsed) == [
        "Ukraine asked for help. Allies answered quickly.",
        "A second paragraph sits on its own line.",
        "The third paragraph closes the explainer!",
    ]


def test_blocks_separated_by_blank_lines_keep_hard_wrapped_lines_together():
    text = (
        "The first paragraph is wrapped\n"
        "over two lines.\n"
        "\n"
        "The second paragraph\n"
        "is wrapped\n"
        "over three.\n"
    )

    parsed = parse_explainer(text)

    assert texts(parsed) == [
        "The first paragraph is wrapped\nover two lines.",
        "The second paragraph\nis wrapped\nover three.",
    ]


def test_hash_heading_gives_course_title_and_is_not_a_section():
    parsed = parse_explainer("# The reassurance force\nFirst section.\nSecond section.\n")

    assert parsed.title == "The reassurance force"
    assert texts(parsed) == ["First section.", "Second section."]


def test_double_hash_heading_titles_the_next_section_only():
    text = "## Who pledged\nTwenty-six countries pledged.\nA section with no heading.\n"

    sections = parse_explainer(text).sections

    assert [s.title for s in sections] == ["Who pledged", "A section with no heading"]


def test_markdown_with_blank_lines_around_headings_keeps_wrapped_paragraphs_whole():
    text = (
        "# Title\n\n"
        "## First heading\n\n"
        "A paragraph wrapped\nacross two lines.\n\n"
        "## Second heading\n\n"
        "Another paragraph.\n"
    )

    sections = parse_explainer(text).sections

    assert [(s.heading, s.text) for s in sections] == [
        ("First heading", "A paragraph wrapped\nacross two lines."),
        ("Second heading", "Another paragraph."),
    ]


def test_bom_crlf_and_trailing_spaces_are_handled():
    text = "\ufeff# Course title  \r\n\r\n## Part one   \r\nFirst section.   \r\n"

    parsed = parse_explainer(text)

    assert parsed.title == "Course title"
    assert [(s.heading, s.text) for s in parsed.sections] == [("Part one", "First section.")]
    assert "\r" not in parsed.source_text
    assert not parsed.source_text.startswith("\ufeff")


def test_decoding_strips_the_utf8_bom():
    assert decode_explainer("\ufeffHello.".encode()) == "Hello."


def test_bom_and_crlf_through_decoding_give_the_same_sections_as_plain_text():
    plain = parse_explainer(THREE_LINES)
    windows = parse_explainer(
        decode_explainer(b"\xef\xbb\xbf" + THREE_LINES.replace("\n", "\r\n").encode())
    )

    assert texts(windows) == texts(plain)
    assert windows.title == plain.title


def test_sentence_ending_in_a_closing_quote_keeps_its_quote():
    text = (
        "He called it a \u201creassurance force.\u201d Russia rejected it. \u2018Fine.\u2019 Next."
    )

    assert split_sentences(text) == [
        "He called it a \u201creassurance force.\u201d",
        "Russia rejected it.",
        "\u2018Fine.\u2019",
        "Next.",
    ]


def test_sentence_ending_in_straight_quote_keeps_its_quote():
    assert split_sentences('They said "no." Then they left.') == [
        'They said "no."',
        "Then they left.",
    ]


def test_slug_from_a_title_with_curly_quotes_is_clean():
    assert course_slug("The \u2018coalition of the willing\u2019 \u201cexplained\u201d") == (
        "the-coalition-of-the-willing-explained"
    )


def test_slug_from_a_title_with_no_latin_letters_asks_for_a_slug():
    with pytest.raises(ExplainerError, match="slug"):
        course_slug("\u041a\u043e\u0430\u043b\u0438\u0446\u0438\u044f")


def test_given_slug_must_be_a_valid_slug():
    with pytest.raises(ExplainerError, match="slug"):
        course_slug("Any title", "not a slug!")


def test_long_slug_is_cut_without_a_trailing_dash():
    slug = course_slug("word " * 40)

    assert len(slug) <= 100
    assert not slug.endswith("-")


def test_title_without_heading_is_the_short_first_sentence():
    sections = parse_explainer("Russia rejected the idea. It said so twice.\n").sections

    assert sections[0].title == "Russia rejected the idea"


def test_long_first_sentence_gives_a_title_cut_at_a_word():
    sentence = (
        "Military assistance pledges involve countries committing to provide troops, "
        "equipment, or logistical support to a nation in need."
    )

    title = title_from_sentence(sentence)

    assert len(title) <= MAX_TITLE_LENGTH
    assert title.endswith("\u2026")
    assert sentence.startswith(title[:-1])
    assert sentence[len(title) - 1] == " "  # cut between words, not inside one


def test_title_keeps_a_word_that_ends_just_before_the_limit():
    first = "a" * 10 + " " + "b" * 58  # 69 characters: room for the ellipsis
    sentence = first + " and more words follow here."

    assert title_from_sentence(sentence) == first + "\u2026"


def test_title_from_one_very_long_word_still_fits():
    assert len(title_from_sentence("x" * 200)) <= MAX_TITLE_LENGTH


def test_course_title_without_heading_comes_from_the_first_section():
    parsed = parse_explainer(THREE_LINES)

    assert parsed.title == "Ukraine asked for help"


def test_default_title_wins_over_first_sentence_but_not_over_heading():
    assert parse_explainer(THREE_LINES, default_title="From file").title == "From file"
    assert parse_explainer("# Heading\nText.\n", default_title="From file").title == "Heading"


def test_section_text_is_kept_verbatim():
    line = "The \u2018coalition of the willing\u2019 (26 countries) \u2014 yes, 26!  Really."

    section = parse_explainer(line + "\n").sections[0]

    assert section.text == line


def test_source_text_keeps_the_whole_explainer():
    assert parse_explainer(THREE_LINES).source_text == THREE_LINES.strip("\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n \r\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        ("caf\u00e9 au lait".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ExplainerError, match=message):
        parse_explainer(decode_explainer(data))


def test_text_with_only_headings_has_no_sections():
    with pytest.raises(ExplainerError, match="no paragraphs"):
        parse_explainer("# Title\n\n## Heading\n")


def test_blank_line_after_the_course_title_alone_keeps_one_section_per_line():
    parsed = parse_explainer("# Title\n\n" + THREE_LINES)

    assert parsed.title == "Title"
    assert len(parsed.sections) == 3


def test_abbreviations_do_not_end_a_sentence_before_a_lowercase_word():
    assert split_sentences("The U.S. and the U.K. agreed. Others waited.") == [
        "The U.S. and the U.K. agreed.",
        "Others waited.",
    ]


def test_an_explainer_with_many_blank_lines_parses_quickly():
    import time

    text = "A short paragraph here.\n\n" * 300 + "\n" * 400_000  # near the 500 KB limit

    start = time.perf_counter()
    assert len(parse_explainer(text).sections) == 300
    assert time.perf_counter() - start < 1


def test_more_paragraphs_than_the_section_limit_are_refused_quickly():
    import time

    text = "A short paragraph here.\n" * 20_000

    start = time.perf_counter()
    with pytest.raises(ExplainerError, match="has 20,000 sections; at most 300"):
        parse_explainer(text)
    assert time.perf_counter() - start < 1


def test_a_long_run_of_hashes_parses_in_linear_time():
    import time

    start = time.perf_counter()
    parsed = parse_explainer("## " + "#" * 20000 + "\nA paragraph under it.")
    assert time.perf_counter() - start < 0.5
    assert parsed.sections[0].text == "A paragraph under it."


def test_closing_hashes_of_a_heading_are_dropped():
    parsed = parse_explainer("## Why it matters ##\nBecause it does.")
    assert parsed.sections[0].title == "Why it matters"


def test_a_paragraph_of_punctuation_still_gets_a_title():
    parsed = parse_explainer("...\nA real sentence here.")
    assert parsed.sections[0].title == "Untitled section"
