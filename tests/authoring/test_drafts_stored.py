"""Importing an explainer writes a quiz of ranked drafts for every lesson, and
re-importing or re-drafting never touches what an editor approved, rejected or edited."""

import pytest
from django.core.management import CommandError, call_command

from authoring.drafting import MIN_PER_SECTION
from authoring.drafts import DRAFTED_QUESTIONS_PER_ATTEMPT, redraft
from authoring.models import DraftRecord
from authoring.parsing import split_sentences
from quizzes.models import Question, QuestionOrigin, QuestionStatus
from tests.authoring.explainers import ALL, SEED, imported, read


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_lesson_gets_a_quiz_of_well_formed_ranked_drafts(db, path):
    result = imported(path)

    lessons = list(result.course.lessons.order_by("position").select_related("quiz"))
    assert lessons and all(not lesson.published for lesson in lessons)
    kinds = []
    for lesson in lessons:
        assert lesson.quiz.questions_per_attempt == DRAFTED_QUESTIONS_PER_ATTEMPT
        questions = list(
            lesson.quiz.questions.prefetch_related("choices").select_related("draft_record")
        )
        assert len(questions) >= MIN_PER_SECTION, lesson.title
        kinds.append({q.kind for q in questions})
        sentences = split_sentences(lesson.source_text)
        for question in questions:
            assert (question.status, question.origin) == (
                QuestionStatus.DRAFT,
                QuestionOrigin.DRAFTED,
            )
            choices = list(question.choices.all())
            assert len(choices) == 4
            assert len({c.text for c in choices}) == 4
            keys = sum(c.is_correct for c in choices)
            assert keys == 1 if question.kind == "single" else 1 <= keys < 4
            assert question.source_passage in sentences
            assert question.source_passage in question.explanation
        ranks = sorted(q.draft_record.rank for q in questions)
        assert ranks == list(range(1, len(questions) + 1))
    assert sum(k == {"single", "multiple"} for k in kinds) >= 0.85 * len(lessons)
    assert result.drafts_created == Question.objects.count()
    assert f"{result.drafts_created} draft questions to review" in result.message()


def test_lessons_keep_their_glossary_and_emphasise_each_term(db):
    path = next(p for p in ALL if p.name == "carbon-border-tax.txt")
    lesson = imported(path).course.lessons.get(position=1)

    terms = {entry["term"] for entry in lesson.glossary}
    assert {"CBAM", "carbon leakage"} <= terms
    assert "<dfn>carbon leakage</dfn>" in lesson.body_html
    assert lesson.body_html.count("<dfn>CBAM</dfn>") == 1  # the first appearance only
    assert lesson.body == lesson.source_text  # the body is the section, unchanged


def test_the_same_text_drafts_the_same_questions(db):
    first = imported(SEED, slug="one")
    second = imported(SEED, slug="two")

    def drafted(course):
        return [
            (q.quiz.lesson.position, q.prompt, [c.text for c in q.choices.all()])
            for q in Question.objects.filter(quiz__lesson__course=course)
            .order_by("quiz__lesson__position", "position")
            .prefetch_related("choices")
        ]

    assert drafted(first.course) == drafted(second.course)


def _edit(question, prompt):
    question.prompt = prompt
    question.save(update_fields=["prompt"])


def test_reimporting_a_changed_section_keeps_every_reviewed_and_edited_question(db):
    course = imported(SEED).course
    lesson = course.lessons.get(position=1)
    approved, edited, rejected, *untouched = list(
        lesson.quiz.questions.order_by("draft_record__rank")
    )
    Question.objects.filter(pk=approved.pk).update(status=QuestionStatus.APPROVED)
    Question.objects.filter(pk=rejected.pk).update(status=QuestionStatus.REJECTED)
    _edit(edited, "An editor's own wording of this question?")
    before = {
        q.pk: (q.prompt, q.status, [(c.text, c.is_correct) for c in q.choices.all()])
        for q in Question.objects.filter(pk__in=[approved.pk, edited.pk, rejected.pk])
    }

    lines = read(SEED).splitlines()
    lines[0] = "The 'coalition of the willing' is a new name. " + lines[0].split(". ", 1)[1]
    result = imported(SEED, slug=course.slug, text="\n".join(lines))

    after = {
        q.pk: (q.prompt, q.status, [(c.text, c.is_correct) for c in q.choices.all()])
        for q in Question.objects.filter(pk__in=before)
    }
    assert after == before
    [redrafted] = [r for r in result.redrafts if r.lesson.position == 1]
    assert redrafted.protected == 3
    # The untouched drafts the new text no longer makes are marked stale, not deleted.
    stale = DraftRecord.objects.filter(question__quiz__lesson=lesson, stale=True)
    gone = [q for q in untouched if q.source_passage not in lines[0]]
    assert gone and set(stale.values_list("question", flat=True)) >= {q.pk for q in gone}
    assert Question.objects.filter(pk__in=[q.pk for q in untouched]).count() == len(untouched)
    # Lessons whose section did not change were not drafted again.
    assert {r.lesson.position for r in result.redrafts} == {1}


def test_redrafting_an_unchanged_course_changes_nothing(db):
    course = imported(SEED).course
    count = Question.objects.count()

    results = redraft(course)

    assert Question.objects.count() == count
    assert sum(r.created for r in results) == 0
    assert sum(r.stale for r in results) == 0
    assert sum(r.kept for r in results) == count


def test_a_rejected_draft_is_not_drafted_again(db):
    course = imported(SEED).course
    question = Question.objects.filter(quiz__lesson__course=course).first()
    Question.objects.filter(pk=question.pk).update(status=QuestionStatus.REJECTED)

    results = redraft(course)

    assert DraftRecord.objects.filter(key=question.draft_record.key).count() == 1
    assert sum(r.created for r in results) == 0


def test_draft_questions_command_redrafts_one_lesson_and_reports(db, capsys):
    course = imported(SEED).course
    lesson = course.lessons.get(position=2)
    Question.objects.filter(quiz__lesson=lesson).delete()

    call_command("draft_questions", course.slug, "--lesson", "2")

    output = capsys.readouterr().out
    assert "Lesson 2 (" in output and "new drafts" in output
    assert "Lesson 1 (" not in output
    assert lesson.quiz.questions.count() >= MIN_PER_SECTION


def test_draft_questions_command_refuses_unknown_courses_and_lessons(db):
    course = imported(SEED).course
    with pytest.raises(CommandError, match="No course with the slug 'nope'"):
        call_command("draft_questions", "nope")
    with pytest.raises(CommandError, match="no lesson at position 40"):
        call_command("draft_questions", course.slug, "--lesson", "40")
