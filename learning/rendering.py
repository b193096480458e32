"""Lesson Markdown: checked against fixed limits, rendered once when it is saved,
and sanitised with one allow-list. Pages show the stored HTML and never parse.

The parser is markdown-it-py (CommonMark plus tables), whose work grows in step
with the text: python-markdown took over 30 s on 27 KB of brackets and raised
RecursionError on 300 nested lists. markdown-it-py is pure Python, though, and
each Markdown symbol costs it up to ~45 us (plain words cost almost nothing), so
the limits below are what keep the worst body that can be saved under ~35 ms.
"""

import re
from html import escape

import nh3
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

# A lesson is 120-250 words (about 1,000 characters in the seed course): ten
# times that is room for any lesson, and a bound on the work of one save.
MAX_BODY_CHARS = 10_000
# What the parser spends its time on: each of these characters makes it try
# its rules (a link, emphasis, a line of a block...). The seed lessons use at most
# 64; 500 '![' or '[' (the dearest) still render in about 30 ms.
MAX_MARKDOWN_SYMBOLS = 500
MARKDOWN_SYMBOLS = frozenset("\n!#$%&*+-:<=>@[\\]^_`{}~|")
# Lists and block quotes inside one another. markdown-it stops parsing a block
# nested deeper than its own limit and silently drops the rest, so a deeper body
# is refused, never shown cut short.
MAX_NESTING_DEPTH = 8
# The parser's recursion limit (inline and block levels): a list costs two
# levels, so a body at MAX_NESTING_DEPTH is parsed whole, and a deeper one is
# still seen to be deeper before the parser gives up.
PARSER_MAX_NESTING = 2 * MAX_NESTING_DEPTH + 4

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
CONTAINER_OPEN = {"blockquote_open", "bullet_list_open", "ordered_list_open"}
CONTAINER_CLOSE = {"blockquote_close", "bullet_list_close", "ordered_list_close"}

_OPTIONS = {"maxNesting": PARSER_MAX_NESTING, "html": True}
_markdown = MarkdownIt("commonmark", _OPTIONS).enable("table")
# Every link is kept for nh3 to judge, so one list (URL_SCHEMES) decides which
# targets survive: a javascript: link keeps its text and loses its target.
_markdown.validateLink = lambda url: True
# Blocks only: enough to measure nesting, without the costly inline pass.
_blocks = MarkdownIt("commonmark", _OPTIONS).enable("table").disable("inline")


def render_markdown(text: str) -> str:
    """Sanitised HTML of a lesson body. Raw HTML is parsed as HTML and removed
    by nh3 (script and style with their content), as python-markdown did."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def lesson_html(body: str, terms=()) -> str:
    """The stored HTML of a lesson body: checked against the limits, then rendered,
    with each glossary term emphasised where it first appears. Every way a lesson is
    written goes through here (save, loaddata, the importer)."""
    validate_lesson_body(body)
    return emphasise_terms(render_markdown(body), terms)


TAG = re.compile(r"(<[^>]+>)")
NOT_IN = {"a", "code", "pre", "dfn", "h1", "h2", "h3", "h4", "h5", "h6"}
MAX_GLOSSARY_TERMS = 50
MAX_TERM_CHARS = 100
MAX_MEANING_CHARS = 500


def _first_in_text(parts, pattern):
    """Index and match of the first text part (outside links, code, headings and other
    terms) where `pattern` matches."""
    inside = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?([a-z0-9]+)", part)
            if name and name.group(1) in NOT_IN and not part.endswith("/>"):
                inside += -1 if part.startswith("</") else 1
            continue
        if inside <= 0:
            match = pattern.search(part)
            if match:
                return index, match
    return None, None


def emphasise_terms(body_html: str, terms) -> str:
    """Wrap the first appearance of each term in <dfn>, the element for the place
    where a term is defined; longer terms first, so "EU ETS" is not taken by "EU"."""
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        escaped = {escape(term, quote=False), escape(term)}
        pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(e) for e in escaped) + r")(?![\w-])", re.I
        )
        parts = TAG.split(body_html)
        index, match = _first_in_text(parts, pattern)
        if index is None:
            continue
        part = parts[index]
        parts[index] = f"{part[: match.start()]}<dfn>{match.group(1)}</dfn>{part[match.end() :]}"
        body_html = "".join(parts)
    return body_html


def validate_glossary(value):
    """A glossary is a short list of {"term", "meaning"} pairs of short text."""
    if not isinstance(value, list) or len(value) > MAX_GLOSSARY_TERMS:
        raise ValidationError(
            f"The glossary must be a list of at most {MAX_GLOSSARY_TERMS} entries, "
            'each {"term": "...", "meaning": "..."}.'
        )
    for entry in value:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("term"), str)
            or not isinstance(entry.get("meaning", ""), str)
            or not entry["term"].strip()
            or len(entry["term"]) > MAX_TERM_CHARS
            or len(entry.get("meaning", "")) > MAX_MEANING_CHARS
        ):
            raise ValidationError(
                'Each glossary entry needs a "term" (at most '
                f'{MAX_TERM_CHARS} characters) and a "meaning" (at most {MAX_MEANING_CHARS}).'
            )


def nesting_depth(text: str) -> int:
    """How many lists and block quotes sit inside one another at the deepest point."""
    depth = deepest = 0
    for token in _blocks.parse(text):
        if token.type in CONTAINER_OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in CONTAINER_CLOSE:
            depth -= 1
    return deepest


def validate_lesson_body(text: str) -> None:
    """Refuse a body that would be slow to render or would not render whole.

    The one check for every way a lesson is written: the model field (so the
    admin shows a form error), the explainer importer, and every save."""
    # Counted as the parser sees it: a browser sends each line break as \r\n.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            f"The lesson is {len(text):,} characters long; at most {MAX_BODY_CHARS:,} "
            "are allowed: split it into shorter lessons.",
            code="too_long",
        )
    symbols = sum(text.count(symbol) for symbol in MARKDOWN_SYMBOLS)
    if symbols > MAX_MARKDOWN_SYMBOLS:
        raise ValidationError(
            f"The lesson uses {symbols:,} Markdown symbols (such as * _ [ ] # | and line "
            f"breaks); at most {MAX_MARKDOWN_SYMBOLS:,} are allowed: use less formatting "
            "or split it into shorter lessons.",
            code="too_much_markup",
        )
    # Past the parser's own limit the depth seen stops growing: say "more than".
    if nesting_depth(text) > MAX_NESTING_DEPTH:
        raise ValidationError(
            f"The lesson nests lists or block quotes more than {MAX_NESTING_DEPTH} levels "
            "deep: keep them at most that deep.",
            code="too_deep",
        )
