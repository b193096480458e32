"""/teach/classes/<id>/roster/: a teacher adds students by pasting names or uploading a
CSV; each gets an account, a one-time password shown once, and a place in the class."""

import csv
import io
import time
from urllib.parse import unquote

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from teaching.models import ActionKind, Enrollment, TeacherAction
from teaching.passwords import ENTROPY_BITS, one_time_password
from teaching.roster import (
    MAX_NAMES,
    RosterError,
    add_students,
    assign_usernames,
    decode_upload,
    parse_roster,
    username_base,
)
from teaching.roster_views import PASSWORDS_KEY
from tests.pages import table_rows, visible_text
from tests.teaching_data import make_class, make_course


@pytest.fixture
def classroom(teacher, db):
    course, _quizzes = make_course(lessons=1, questions=3)
    return make_class(teachers=[teacher], courses=[course])


def roster_url(classroom):
    return reverse("teaching:roster", args=[classroom.pk])


def passwords_url(classroom):
    return reverse("teaching:new_passwords", args=[classroom.pk])


def people(parsed):
    return [(e.row, e.first_name, e.last_name, e.email) for e in parsed.entries]


# ---------------------------------------------------------------- reading the list


def test_pasted_names_with_and_without_emails():
    parsed = parse_roster("Ada Lovelace\n\n  Alan   Turing , alan@example.com \nGrace\n")

    assert parsed.errors == []
    assert people(parsed) == [
        (1, "Ada", "Lovelace", ""),
        (3, "Alan", "Turing", "alan@example.com"),
        (4, "Grace", "", ""),
    ]


def test_a_name_of_three_words_keeps_the_rest_as_last_name():
    [entry] = parse_roster("Ada King Lovelace").entries

    assert (entry.first_name, entry.last_name, entry.name) == ("Ada", "King Lovelace", entry.name)
    assert entry.name == "Ada King Lovelace"


@pytest.mark.parametrize(
    "header",
    ["name,email", "Name,E-mail", "email,name", "full name,email address,class"],
)
def test_a_header_row_names_the_columns(header):
    columns = [c.strip().lower() for c in header.split(",")]
    row = {"name": "Ada Lovelace", "full name": "Ada Lovelace"}
    cells = [row.get(c, "ada@example.com" if "mail" in c else "9B") for c in columns]
    parsed = parse_roster(f"{header}\n{','.join(cells)}\n")

    assert parsed.errors == []
    assert people(parsed) == [(2, "Ada", "Lovelace", "ada@example.com")]


def test_first_and_last_name_columns():
    text = "first_name,last_name,email\nAda,Lovelace,ada@example.com\nMary Ann,Evans,\n"

    parsed = parse_roster(text)

    assert people(parsed) == [
        (2, "Ada", "Lovelace", "ada@example.com"),
        (3, "Mary Ann", "Evans", ""),
    ]


def test_three_columns_without_a_header_are_first_last_email():
    assert people(parse_roster("Ada,Lovelace,ada@example.com")) == [
        (1, "Ada", "Lovelace", "ada@example.com")
    ]


def test_semicolons_and_tabs_from_spreadsheets():
    assert people(parse_roster("name;email\nAda Lovelace;ada@example.com")) == [
        (2, "Ada", "Lovelace", "ada@example.com")
    ]
    assert people(parse_roster("Ada Lovelace\tada@example.com\r\n")) == [
        (1, "Ada", "Lovelace", "ada@example.com")
    ]


def test_empty_columns_on_the_right_are_ignored():
    assert people(parse_roster("Ada Lovelace,,,\n")) == [(1, "Ada", "Lovelace", "")]


def test_bad_rows_are_named_by_their_number():
    text = "\n".join(
        [
            "name,email",
            "Ada Lovelace,ada@example.com",
            ",nobody@example.com",
            "A" * 151,
            "Alan Turing,not-an-email",
            "Grace Hopper,ADA@example.com",
        ]
    )

    errors = parse_roster(text).errors

    assert errors == [
        "Row 3: the name is empty.",
        "Row 4: the name is longer than 150 characters.",
        "Row 5: the email address not-an-email is not valid.",
        "Row 6: the email ADA@example.com is also on row 2.",
    ]


def test_too_many_columns_without_a_header_are_refused():
    assert parse_roster("Ada Lovelace\na,b,c,d").errors == [
        "Row 2: 4 columns, where name, email or first name, last name, email were "
        "expected. A first row of column names (name,email) says which is which."
    ]


def test_a_name_of_150_characters_is_fine():
    assert parse_roster("A" * 150).errors == []


def test_more_than_the_limit_of_names_is_refused():
    parsed = parse_roster("\n".join(f"Student {n}" for n in range(MAX_NAMES + 1)))

    assert parsed.entries == []
    assert parsed.errors == [
        f"At most {MAX_NAMES} names at a time: this list has {MAX_NAMES + 1}. "
        "Split it into several lists."
    ]


def test_an_empty_list_says_what_to_write():
    assert parse_roster("\n  \n").errors == [
        "No names found: write one name per line, or choose a CSV file."
    ]


def test_invisible_characters_from_copied_text_are_dropped():
    [entry] = parse_roster("\u200bAda\u00a0Lovelace\u200e").entries

    assert (entry.first_name, entry.last_name) == ("Ada", "Lovelace")


def test_uploads_are_read_as_utf8_with_or_without_a_bom():
    assert decode_upload("José Núñez".encode()) == "José Núñez"
    assert decode_upload("\ufeffJosé Núñez".encode()) == "José Núñez"


@pytest.mark.parametrize("data", ["José Núñez".encode("cp1252"), b"PK\x03\x04\x00\x00"])
def test_uploads_that_are_not_utf8_text_are_refused(data):
    with pytest.raises(RosterError):
        decode_upload(data)


# ---------------------------------------------------------------- usernames


@pytest.mark.parametrize(
    ("first", "last", "base"),
    [
        ("Ada", "Lovelace", "ada.lovelace"),
        ("José", "Núñez", "jose.nunez"),
        ("Søren", "Kierkegaard", "soren.kierkegaard"),
        ("Jean-Luc", "O'Brien", "jeanluc.obrien"),
        ("Straße", "", "strasse"),
        ("Иван", "Петров", ""),
        ("李", "小龍", ""),
    ],
)
def test_usernames_are_lowercase_ascii_from_the_name(first, last, base):
    assert username_base(first, last) == base


def test_usernames_never_clash():
    bases = ["ada.lovelace", "ada.lovelace", "", "", "alan.turing"]

    names = assign_usernames(bases, taken={"ada.lovelace", "student1"})

    assert names == ["ada.lovelace2", "ada.lovelace3", "student2", "student3", "alan.turing"]


def test_a_long_name_makes_a_username_of_at_most_30_characters():
    assert len(username_base("Maximiliana Wilhelmina", "von Hohenzollern-Sigmaringen")) <= 30


# ---------------------------------------------------------------- passwords


def test_one_time_passwords_are_random_and_readable():
    passwords = {one_time_password() for _ in range(200)}

    assert len(passwords) == 200
    assert ENTROPY_BITS >= 60
    for password in passwords:
        assert len(password) == 24 and password.count("-") == 4
        assert password.replace("-", "").isalpha() and password.islower()


# ---------------------------------------------------------------- making the accounts


def test_add_students_makes_enrolled_accounts_that_must_change_password(
    teacher, classroom, other_student
):
    User.objects.create_user("ada.lovelace", password="x")  # someone has this name already
    entries = parse_roster("Ada Lovelace, ada@example.com\nÉmile Zola\nАнна Каренина").entries

    made = add_students(classroom=classroom, teacher=teacher, entries=entries)

    assert [a.user.username for a in made] == ["ada.lovelace2", "emile.zola", "student1"]
    ada = User.objects.get(username="ada.lovelace2")
    assert (ada.first_name, ada.last_name, ada.email) == ("Ada", "Lovelace", "ada@example.com")
    assert User.objects.get(username="student1").get_full_name() == "Анна Каренина"
    for account in made:
        user = User.objects.get(pk=account.user.pk)
        assert account.password not in user.password
        assert identify_hasher(user.password).algorithm == "pbkdf2_onetime"
        assert user.check_password(account.password)
        assert Profile.objects.get(user=user).must_change_password
    assert set(classroom.students.values_list("username", flat=True)) == {
        "ada.lovelace2",
        "emile.zola",
        "student1",
    }
    actions = TeacherAction.objects.filter(kind=ActionKind.ADD_STUDENT, teacher=teacher)
    assert sorted(actions.values_list("student__username", flat=True)) == [
        "ada.lovelace2",
        "emile.zola",
        "student1",
    ]


def test_a_full_roster_runs_a_bounded_number_of_queries(
    teacher, classroom, django_assert_max_num_queries, record_property
):
    entries = parse_roster("\n".join(f"Student Number{n}" for n in range(MAX_NAMES))).entries
    started = time.perf_counter()

    # 1 for the usernames taken, and the inserts in batches (the database's limit on
    # parameters sets their size): about 20 statements for 500 names.
    with django_assert_max_num_queries(30):
        made = add_students(classroom=classroom, teacher=teacher, entries=entries)

    record_property("seconds_for_500_names", round(time.perf_counter() - started, 2))
    assert len(made) == MAX_NAMES
    assert Enrollment.objects.filter(classroom=classroom).count() == MAX_NAMES
    assert Profile.objects.filter(must_change_password=True).count() == MAX_NAMES


# ---------------------------------------------------------------- the page


def test_roster_page_has_labelled_fields(teacher_client, classroom):
    response = teacher_client.get(roster_url(classroom))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "Names, one per line" in html and "Or a CSV file" in html


def test_roster_url_is_the_documented_path(classroom):
    assert roster_url(classroom) == f"/teach/classes/{classroom.pk}/roster/"


def test_pasted_names_become_accounts_with_passwords_shown_once(teacher_client, classroom):
    response = teacher_client.post(
        roster_url(classroom), {"names": "Ada Lovelace, ada@example.com\nAlan Turing"}
    )

    assert response.status_code == 302 and response.url == passwords_url(classroom)
    page = teacher_client.get(response.url)
    html = page.content.decode()
    rows = [row for row in table_rows(html) if row[0] != "Username"]
    assert [row[:2] for row in rows] == [
        ["ada.lovelace", "Ada Lovelace"],
        ["alan.turing", "Alan Turing"],
    ]
    assert "2 students added to Year 9 History." in visible_text(page)
    for username, _name, password in rows:
        assert User.objects.get(username=username).check_password(password)
    # The CSV is part of the page: nothing on the server keeps the passwords now.
    assert PASSWORDS_KEY not in teacher_client.session
    again = teacher_client.get(response.url).content.decode()
    assert rows[0][2] not in again and "No passwords to show" in again


def test_the_passwords_download_as_csv(teacher_client, classroom):
    teacher_client.post(roster_url(classroom), {"names": "Ada Lovelace\n=Evil Formula"})

    html = teacher_client.get(passwords_url(classroom)).content.decode()

    href = html.split('href="data:text/csv;charset=utf-8,')[1].split('"')[0]
    assert 'download="class-' in html
    content = unquote(href)
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == ["username", "name", "password"]
    assert [row[:2] for row in rows[1:]] == [
        ["ada.lovelace", "Ada Lovelace"],
        ["evil.formula", "'=Evil Formula"],
    ]
    assert User.objects.get(username="ada.lovelace").check_password(rows[1][2])


def test_a_csv_upload_from_excel_with_a_bom_and_header(teacher_client, classroom):
    data = "\ufefffirst_name,last_name,email\r\nJosé,Núñez,jose@example.com\r\n".encode()
    upload = SimpleUploadedFile("class.csv", data, content_type="text/csv")

    response = teacher_client.post(roster_url(classroom), {"file": upload})

    assert response.status_code == 302
    jose = User.objects.get(username="jose.nunez")
    assert (jose.first_name, jose.email) == ("José", "jose@example.com")
    assert classroom.students.filter(pk=jose.pk).exists()


def test_a_bad_row_creates_nothing_and_is_reported(teacher_client, classroom):
    before = User.objects.count()

    response = teacher_client.post(
        roster_url(classroom), {"names": "Ada Lovelace\nAlan Turing, alan@\n"}
    )

    text = visible_text(response, status=400)
    assert "Nothing was added: correct these rows" in text
    assert "Row 2: the email address alan@ is not valid." in text
    assert User.objects.count() == before
    assert not TeacherAction.objects.exists() and not Enrollment.objects.exists()
    assert "Ada Lovelace" in response.content.decode()  # the list stays in the form


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(teacher_client, classroom):
    upload = SimpleUploadedFile("big.csv", b"Ada Lovelace\n" * 20_000, content_type="text/csv")

    response = teacher_client.post(roster_url(classroom), {"file": upload})

    assert "This file is 254 KB: the limit is 200 KB." in visible_text(response, status=400)
    assert not Enrollment.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(teacher_client, classroom):
    upload = SimpleUploadedFile("class.csv", "Zoë Ädler".encode("cp1252"))

    response = teacher_client.post(roster_url(classroom), {"file": upload})

    assert "is not UTF-8 text" in visible_text(response, status=400)


@pytest.mark.parametrize("data", [{}, {"names": "   "}])
def test_an_empty_form_asks_for_names(teacher_client, classroom, data):
    response = teacher_client.post(roster_url(classroom), data)

    assert "Paste some names, or choose a CSV file." in visible_text(response, status=400)


def test_names_and_a_file_together_are_refused(teacher_client, classroom):
    upload = SimpleUploadedFile("class.csv", b"Ada Lovelace\n")

    response = teacher_client.post(roster_url(classroom), {"names": "Alan Turing", "file": upload})

    assert "not both" in visible_text(response, status=400)
    assert not Enrollment.objects.exists()


def test_500_names_through_the_page(
    teacher_client, classroom, django_assert_max_num_queries, record_property
):
    names = "\n".join(f"Pupil Number{n}, pupil{n}@example.com" for n in range(MAX_NAMES))
    started = time.perf_counter()

    with django_assert_max_num_queries(40):
        response = teacher_client.post(roster_url(classroom), {"names": names})

    record_property("seconds_for_500_names_page", round(time.perf_counter() - started, 2))
    assert response.status_code == 302
    assert classroom.enrollments.count() == MAX_NAMES


def test_a_new_student_signs_in_with_the_one_time_password(teacher_client, classroom):
    teacher_client.post(roster_url(classroom), {"names": "Ada Lovelace"})
    [row] = [
        r
        for r in table_rows(teacher_client.get(passwords_url(classroom)).content.decode())
        if r[0] != "Username"
    ]

    browser = Client()
    response = browser.post(reverse("login"), {"username": "ada.lovelace", "password": row[2]})

    assert response.status_code == 302
    assert browser.session.get("_auth_user_id") == str(User.objects.get(username="ada.lovelace").pk)
    # Signed in once, the hash is upgraded to the site's default hasher.
    assert identify_hasher(User.objects.get(username="ada.lovelace").password).algorithm != (
        "pbkdf2_onetime"
    )


def test_another_classs_passwords_are_not_shown_here(teacher_client, teacher, classroom):
    other = make_class(teachers=[teacher], courses=[], name="Other class")
    teacher_client.post(roster_url(classroom), {"names": "Ada Lovelace"})

    here = teacher_client.get(passwords_url(other)).content.decode()
    there = teacher_client.get(passwords_url(classroom)).content.decode()

    assert "ada.lovelace" not in here and "ada.lovelace" in there


# ---------------------------------------------------------------- who may


def page_urls(classroom):
    return {"roster": roster_url(classroom), "passwords": passwords_url(classroom)}


@pytest.mark.parametrize("page", ["roster", "passwords"])
def test_students_get_403(client, student, classroom, page):
    client.force_login(student)

    assert client.get(page_urls(classroom)[page]).status_code == 403
    assert client.post(roster_url(classroom), {"names": "Eve Intruder"}).status_code == 403
    assert not User.objects.filter(username="eve.intruder").exists()


@pytest.mark.parametrize("page", ["roster", "passwords"])
def test_visitors_are_sent_to_login(client, classroom, page):
    response = client.get(page_urls(classroom)[page])

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("page", ["roster", "passwords"])
def test_another_teacher_gets_404(client, other_teacher, classroom, page):
    client.force_login(other_teacher)

    assert client.get(page_urls(classroom)[page]).status_code == 404
    assert client.post(roster_url(classroom), {"names": "Eve Intruder"}).status_code == 404
    assert not User.objects.filter(username="eve.intruder").exists()


def test_the_passwords_page_takes_get_only(teacher_client, classroom):
    assert teacher_client.post(passwords_url(classroom)).status_code == 405


def test_a_roster_post_without_the_csrf_token_is_refused(teacher, classroom):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(teacher)

    response = browser.post(roster_url(classroom), {"names": "Ada Lovelace"})

    assert response.status_code == 403
    assert not User.objects.filter(username="ada.lovelace").exists()
