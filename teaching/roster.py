"""Adding students to a class from a list of names: reading the list (pasted, or a CSV
file as spreadsheets write it), making usernames that clash with no one, and creating
the accounts, with one-time passwords, in one transaction.

Reading is pure and checks every row before anything is written: one bad row and
nothing is created, and each bad row is named by its number.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.models import Profile

from .models import ActionKind, Enrollment, TeacherAction
from .passwords import one_time_hash, one_time_password

MAX_NAMES = 500
MAX_UPLOAD_BYTES = 200 * 1024
MAX_NAME_LENGTH = 150  # Django's first_name and last_name hold 150 each
MAX_EMAIL_LENGTH = 254
MAX_ERRORS_LISTED = 50
USERNAME_BASE_LENGTH = 30  # long enough for most names, short enough to type
FALLBACK_BASE = "student"


class RosterError(ValueError):
    """The list as a whole cannot be used; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One student to add: their row in the list, their name and optional email."""

    row: int
    first_name: str
    last_name: str
    email: str = ""

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Parsed:
    entries: list
    errors: list  # messages, each naming its row


# ---------------------------------------------------------------- reading the list


def decode_upload(data):
    """The text of an uploaded file: UTF-8, with or without the byte-order mark that
    Excel and LibreOffice put first."""
    if b"\x00" in data:
        raise RosterError("This file is not a text file: save the list as CSV and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(
            "This file is not UTF-8 text. In Excel choose 'CSV UTF-8' when saving; in "
            "LibreOffice choose the character set 'Unicode (UTF-8)'."
        ) from None


HEADER_LABELS = {
    "name": {"name", "full name", "fullname", "student", "student name", "names"},
    "first": {"first name", "firstname", "given name", "forename", "first"},
    "last": {"last name", "lastname", "surname", "family name", "last"},
    "email": {"email", "e mail", "email address", "e mail address", "mail"},
}


def _label(cell):
    return " ".join(cell.lower().replace("_", " ").replace("-", " ").split())


def _header_columns(cells):
    """{"name"/"first"/"last"/"email": column index} when `cells` is a header row."""
    columns = {}
    for index, cell in enumerate(cells):
        for key, labels in HEADER_LABELS.items():
            if _label(cell) in labels and key not in columns:
                columns[key] = index
    if "name" in columns or "first" in columns or "last" in columns:
        return columns
    return None


def _delimiter(text):
    """A tab when pasted from a spreadsheet, a semicolon where the comma is a decimal
    sign (as some Excel versions write CSV), else a comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def clean_text(value):
    """Whitespace collapsed, the invisible characters that come with copied text gone."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    return " ".join(value.split())


def _entry(row, first, last, email, seen_emails):
    """(Entry, None) or (None, message) for one row."""
    first, last, email = clean_text(first), clean_text(last), clean_text(email)
    name = f"{first} {last}".strip()
    if not name:
        return None, f"Row {row}: the name is empty."
    if len(name) > MAX_NAME_LENGTH:
        return None, f"Row {row}: the name is longer than {MAX_NAME_LENGTH} characters."
    if email:
        try:
            if len(email) > MAX_EMAIL_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            return None, f"Row {row}: the email address {email[:60]} is not valid."
        key = email.casefold()
        if key in seen_emails:
            return None, f"Row {row}: the email {email} is also on row {seen_emails[key]}."
        seen_emails[key] = row
    return Entry(row, first, last, email), None


def _split_name(full):
    """First word, and the rest: "Ada King Lovelace" is Ada, King Lovelace."""
    full = clean_text(full)
    first, _, last = full.partition(" ")
    return first, last


def parse_roster(text):
    """Every row of a pasted list or a CSV file, checked.

    A row is "First Last", optionally followed by ", email". A first row of column
    names (name, email or first_name, last_name, email, in any order, other columns
    ignored) says where each is; without one, two columns are name and email and
    three are first name, last name and email. Empty lines are skipped.
    """
    entries, errors, seen_emails = [], [], {}
    columns = None
    rows = csv.reader(text.splitlines(), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(rows, start=1):
            cells = [cell.strip() for cell in cells]
            while cells and not cells[-1]:
                cells.pop()  # spreadsheets add empty columns on the right
            if not cells:
                continue
            if columns is None:  # the first row: column names, or already a student
                columns = _header_columns(cells)
                if columns is not None:
                    continue
                columns = {}
            entry, error = _row(number, cells, columns, seen_emails)
            if error:
                errors.append(error)
            else:
                entries.append(entry)
    except csv.Error as problem:
        errors.append(f"Row {rows.line_num}: it could not be read ({problem}).")
    if len(entries) + len(errors) > MAX_NAMES:
        return Parsed(
            [],
            [
                f"At most {MAX_NAMES} names at a time: this list has "
                f"{len(entries) + len(errors)}. Split it into several lists."
            ],
        )
    if not entries and not errors:
        errors.append("No names found: write one name per line, or choose a CSV file.")
    if len(errors) > MAX_ERRORS_LISTED:
        more = len(errors) - MAX_ERRORS_LISTED
        errors = errors[:MAX_ERRORS_LISTED] + [f"… and {more} more rows with problems."]
    return Parsed(entries, errors)


def _row(number, cells, columns, seen_emails):
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    if columns:
        if "first" in columns or "last" in columns:
            first, last = cell("first"), cell("last")
        else:
            first, last = _split_name(cell("name"))
        return _entry(number, first, last, cell("email"), seen_emails)
    if len(cells) == 1:
        return _entry(number, *_split_name(cells[0]), "", seen_emails)
    if len(cells) == 2:
        return _entry(number, *_split_name(cells[0]), cells[1], seen_emails)
    if len(cells) == 3:
        return _entry(number, cells[0], cells[1], cells[2], seen_emails)
    return None, (
        f"Row {number}: {len(cells)} columns, where name, email or first name, last name, "
        "email were expected. A first row of column names (name,email) says which is which."
    )


# ---------------------------------------------------------------- usernames

# Latin letters that Unicode does not decompose into a base letter and an accent.
LATIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}
)


def username_base(first_name, last_name):
    """ "ada.lovelace" for Ada Lovelace, "jose.nunez" for José Núñez; "" for a name with
    no Latin letter or digit (the caller then numbers a fallback)."""
    parts = []
    for word in f"{first_name} {last_name}".lower().translate(LATIN_LETTERS).split():
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        plain = re.sub(r"[^a-z0-9]", "", plain)
        if plain:
            parts.append(plain)
    return ".".join(parts)[:USERNAME_BASE_LENGTH].strip(".")


def taken_usernames(bases):
    """The existing usernames (lower case) that a numbered form of `bases` could clash
    with, in one query."""
    bases = sorted(set(bases) | {FALLBACK_BASE})
    pattern = "^(" + "|".join(base.replace(".", r"\.") for base in bases) + ")[0-9]*$"
    return {
        name.lower()
        for name in User.objects.filter(username__iregex=pattern).values_list("username", flat=True)
    }


def assign_usernames(bases, taken):
    """A username per base, none in `taken` (nor given twice): the base itself, then
    base2, base3...; an empty base gets student1, student2..."""
    taken = set(taken)
    names = []
    for base in bases:
        stem, number = base or FALLBACK_BASE, 1
        candidate = base or f"{stem}1"
        while candidate in taken:
            number += 1
            candidate = f"{stem}{number}"
        taken.add(candidate)
        names.append(candidate)
    return names


# ---------------------------------------------------------------- making the accounts


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str  # in clear, for the teacher to hand out once; never stored so


def add_students(*, classroom, teacher, entries):
    """Accounts for `entries`, enrolled in `classroom`, each with a one-time password
    and must_change_password set, each logged as the teacher's ADD_STUDENT action.

    A fixed handful of bulk statements, however many names. All or nothing: if any
    account cannot be made, none is. Returns a NewAccount per entry, in order."""
    if not entries:
        raise RosterError("No names to add.")
    if len(entries) > MAX_NAMES:
        raise RosterError(f"At most {MAX_NAMES} names at a time.")
    # Hashing before the transaction: the write lock is held for the writes only.
    passwords = [one_time_password() for _ in entries]
    hashes = [one_time_hash(password) for password in passwords]
    bases = [username_base(entry.first_name, entry.last_name) for entry in entries]
    try:
        with transaction.atomic():
            usernames = assign_usernames(bases, taken_usernames(bases))
            users = User.objects.bulk_create(
                [
                    User(
                        username=username,
                        first_name=entry.first_name,
                        last_name=entry.last_name,
                        email=entry.email,
                        password=hashed,
                    )
                    for username, entry, hashed in zip(usernames, entries, hashes, strict=True)
                ]
            )
            Profile.objects.bulk_create(
                [Profile(user=user, must_change_password=True) for user in users]
            )
            Enrollment.objects.bulk_create(
                [Enrollment(classroom=classroom, student=user) for user in users]
            )
            TeacherAction.objects.bulk_create(
                [
                    TeacherAction(
                        classroom=classroom,
                        teacher=teacher,
                        student=user,
                        kind=ActionKind.ADD_STUDENT,
                        detail=f"account {user.username}, from a roster",
                    )
                    for user in users
                ]
            )
    except IntegrityError:
        # Another teacher took one of these usernames a moment ago.
        raise RosterError(
            "Someone else added accounts at the same moment: nothing was created. "
            "Send the list again."
        ) from None
    return [NewAccount(user, password) for user, password in zip(users, passwords, strict=True)]
