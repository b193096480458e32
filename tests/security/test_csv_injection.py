"""The class CSV never hands a spreadsheet a formula: every cell a person wrote that
could start one is neutralised with a leading apostrophe."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from learning.models import Lesson
from teaching.views import spreadsheet_safe
from tests.security.conftest import client_as

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    " =1+1",  # a spreadsheet that trims spaces on import would see =1+1
    "\n=1+1",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", " ")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_no_formula(rows):
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), f"cell {cell!r} could run as a formula"


@pytest.mark.parametrize("formula", FORMULAS)
def test_names_that_look_like_formulas_are_neutralised(world, formula):
    User.objects.filter(pk=world.student.pk).update(
        username=f"{formula[:140]}", first_name=formula, last_name=formula
    )
    client = client_as(world, "teacher")

    rows = csv_rows(client.get(reverse("teaching:class_csv", args=[world.classroom.pk])))

    assert_no_formula(rows)
    student_row = rows[1]
    assert student_row[:3] == ["'" + formula[:140], "'" + formula, "'" + formula]


@pytest.mark.parametrize("formula", FORMULAS)
def test_lesson_titles_that_look_like_formulas_are_neutralised(world, formula):
    Lesson.objects.filter(pk=world.lesson.pk).update(title=formula)
    client = client_as(world, "teacher")

    rows = csv_rows(client.get(reverse("teaching:class_csv", args=[world.classroom.pk])))

    assert_no_formula(rows)
    assert rows[0][-1].endswith(formula.strip())


def test_ordinary_names_are_left_alone(world):
    User.objects.filter(pk=world.student.pk).update(first_name="Zoë", last_name="O'Brien-Smith")
    client = client_as(world, "teacher")

    rows = csv_rows(client.get(reverse("teaching:class_csv", args=[world.classroom.pk])))

    assert rows[1][:3] == ["alice", "Zoë", "O'Brien-Smith"]
    assert_no_formula(rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("  @x", "'  @x"),
        ("\t-2", "'\t-2"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected
