"""The rooms depend one way: accounts <- learning <- quizzes <- authoring, review <- teaching.

A lower room never names a higher one: not in an import, not in a relation name
(`select_related("quiz")`, `hasattr(lesson, "quiz")`), not in a `{% url 'app:...' %}`
of its templates. config/ may name every room, so a room imports from config/ only
`config.http`, the refusal answers that themselves import no room.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ["accounts", "learning", "quizzes", "authoring", "review", "teaching"]
URL_TAG = re.compile(r"""{%\s*url\s+['"](\w+):""")
URL_NAME = re.compile(r"\w+:\w+")
SHARED_CONFIG = {"config.http"}


def higher(room):
    return set(ROOMS[ROOMS.index(room) + 1 :])


def upward_relations(room):
    """Names by which a model of `room` reaches a model of a higher room (reverse
    accessors such as Lesson.quiz), mapped to that room."""
    names = {}
    for model in apps.get_app_config(room).get_models():
        for relation in model._meta.related_objects:
            other = relation.related_model._meta.app_label
            if other in higher(room):
                names[relation.get_accessor_name()] = other
    return names


def source_violations(room, source, relations):
    """What in one module of `room` names a higher room."""
    found = []
    for node in ast.walk(ast.parse(source)):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        for module in modules:
            if module.split(".")[0] in higher(room):
                found.append(f"imports {module}")
            if module.split(".")[0] == "config" and module not in SHARED_CONFIG:
                found.append(f"imports {module}, which may import any room")
        names = []  # strings and keyword names that may name a relation or a URL
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)
        elif isinstance(node, ast.keyword) and node.arg:
            names.append(node.arg)
        for name in names:
            if name.split("__")[0] in relations:
                found.append(f"names {relations[name.split('__')[0]]} through '{name}'")
            if URL_NAME.fullmatch(name) and name.split(":")[0] in higher(room):
                found.append(f"names the URL '{name}'")
    return found


def template_violations(room, text):
    return [
        f"links to {{% url '{ns}:...' %}}" for ns in URL_TAG.findall(text) if ns in higher(room)
    ]


def room_violations(room):
    relations = upward_relations(room) if apps.is_installed(room) else {}
    found = []
    for path in sorted((ROOT / room).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # history: a migration may name where a model used to live
        for problem in source_violations(room, path.read_text(), relations):
            found.append(f"{path.relative_to(ROOT)} {problem}")
    for path in sorted((ROOT / "templates" / room).rglob("*.html")):
        for problem in template_violations(room, path.read_text()):
            found.append(f"{path.relative_to(ROOT)} {problem}")
    return found


@pytest.mark.parametrize("room", ROOMS)
def test_no_arrow_runs_back(room):
    assert room_violations(room) == []


# The checker itself: each kind of back-reference is caught.


@pytest.mark.parametrize(
    "source",
    [
        "from quizzes.models import Quiz",
        "import teaching.grid",
        "Lesson.objects.select_related('course', 'quiz')",
        "Lesson.objects.filter(quiz__isnull=False)",
        "has = hasattr(lesson, 'quiz')",
        "reverse('quizzes:quiz', args=[1])",
        "Course.objects.prefetch_related('classrooms')",
    ],
)
def test_learning_naming_a_higher_room_is_caught(source):
    assert source_violations("learning", source, upward_relations("learning")) != []


def test_config_beyond_its_shared_module_is_caught():
    assert source_violations("accounts", "from config.errors import server_error", {}) != []
    assert source_violations("accounts", "from config.http import refusal", {}) == []


def test_the_shared_config_module_names_no_room():
    for module in SHARED_CONFIG:
        source = (ROOT / (module.replace(".", "/") + ".py")).read_text()
        assert source_violations("accounts", source, {}) == []
        assert "accounts" not in source  # accounts is the lowest room: it names none


def test_a_template_linking_up_is_caught():
    assert template_violations("learning", "<a href=\"{% url 'quizzes:quiz' c l %}\">") != []


def test_naming_a_lower_room_is_fine():
    source = "from learning.models import Lesson\nLesson.objects.select_related('course')"
    assert source_violations("quizzes", source, upward_relations("quizzes")) == []
