"""Reading a page as a person does: its visible text, and its tables row by row."""

import re
from html.parser import HTMLParser


def visible_text(page, *, status=None):
    """The page's text with tags removed and whitespace collapsed to single spaces.

    Each tag counts as a space, so "<td>2</td><td>3</td>" reads "2 3"; entities are left
    as written (an apostrophe may read "&#x27;"). `page` is a test client response, the
    bytes of a body, or HTML text. With `status`, `page` is a response that must have it.
    """
    if status is not None:
        assert page.status_code == status, f"{page.status_code}, not {status}"
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html):
    """Every table row of a page as a list of its cells' visible text."""
    parser = _TableParser()
    parser.feed(html)
    return parser.rows


def row_for(html, first_cell):
    """The table row whose first cell starts with `first_cell`."""
    matches = [row for row in table_rows(html) if row and row[0].startswith(first_cell)]
    assert len(matches) == 1, f"{len(matches)} rows start with {first_cell!r}"
    return matches[0]
