"""Model factories, and builders of larger worlds made with them."""

import factory
from django.contrib.auth.models import User

from learning.models import Course, Lesson
from learning.progress import record_visit
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Choice, Question, QuestionKind, QuestionStatus, Quiz, RevealAnswers
from tests.conftest import make_user


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"learner{n}")
    password = factory.django.Password("pw-for-tests-1")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A course for tests."
    published = True


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    summary = "One sentence."
    body = "Some **body** text."
    key_points = "First point.\nSecond point."
    source_text = "The section, verbatim."
    published = True


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    lesson = factory.SubFactory(LessonFactory)
    pass_mark = 50
    max_attempts = 3
    shuffle_choices = False
    # The tests of pages after an attempt were written to see the key; the default
    # (after a pass or the last attempt) has its own tests.
    reveal_answers = RevealAnswers.ALWAYS


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n + 1)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.SINGLE
    explanation = "Because the section says so."
    source_passage = "The section, verbatim."
    status = QuestionStatus.APPROVED


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


def make_question(quiz, position, *, kind=QuestionKind.SINGLE, correct=(1,), choices=4):
    """A question whose choices at the given 1-based positions are correct."""
    question = QuestionFactory(quiz=quiz, position=position, kind=kind)
    for n in range(1, choices + 1):
        ChoiceFactory(
            question=question, position=n, text=f"Q{position} choice {n}", is_correct=n in correct
        )
    return question


def make_quiz(*, questions=4, course=None, lesson_position=1, **quiz_fields):
    """A published lesson and its quiz; question n's first choice is right,
    except the last question, a select-all whose first two choices are right."""
    lesson_fields = {"position": lesson_position}
    if course is not None:
        lesson_fields["course"] = course
    quiz = QuizFactory(lesson=LessonFactory(**lesson_fields), **quiz_fields)
    for position in range(1, questions + 1):
        if position == questions and questions > 1:
            make_question(quiz, position, kind=QuestionKind.MULTIPLE, correct=(1, 2))
        else:
            make_question(quiz, position)
    return quiz


# ---------------------------------------------------------------- a course with a history

# lessons, questions per quiz, submitted attempts per quiz
HISTORY_SIZES = {"small": (2, 3, 1), "large": (8, 12, 3)}


def answers_for(quiz, pick):
    """{question id: [its choice at index `pick`]}, each question's choices in position
    order: with make_quiz, 0 answers every question right and -1 every one wrong."""
    return {
        q.pk: [list(q.choices.all())[pick].pk] for q in quiz.questions.prefetch_related("choices")
    }


def course_taken(users, *, lessons, questions, attempts):
    """A course of `lessons` quizzes with `questions` questions each and no attempts
    limit, that each of `users` visited and submitted `attempts` times, lesson by
    lesson. Odd lessons are passed and even ones failed: rows of both kinds, a lesson
    to continue with, wrong answers to list. Returns (course, quizzes)."""
    course = CourseFactory()
    quizzes = []
    for position in range(1, lessons + 1):
        quiz = make_quiz(
            questions=questions, course=course, lesson_position=position, max_attempts=None
        )
        quizzes.append(quiz)
        answers = answers_for(quiz, 0 if position % 2 else -1)
        for user in users:
            record_visit(user, quiz.lesson)
            for _ in range(attempts):
                attempt = start_attempt(user=user, quiz=quiz)
                save_answers(attempt=attempt, answers=answers)
                submit_attempt(attempt=attempt)
    return course, quizzes


def course_with_history(student, size, *, carols_attempts=None):
    """(course, quizzes) of a course of HISTORY_SIZES[size] that `student` has taken,
    among history that every list of a page could grow with: another student's, carol's,
    on a course of the same size (`carols_attempts` times, by default as many as
    `student`), and `student`'s own once through a second course."""
    lessons, questions, attempts = HISTORY_SIZES[size]
    carols = attempts if carols_attempts is None else carols_attempts
    course_taken([make_user("carol")], lessons=lessons, questions=questions, attempts=carols)
    course_taken([student], lessons=lessons, questions=questions, attempts=1)
    return course_taken([student], lessons=lessons, questions=questions, attempts=attempts)


def right_answer(question_id):
    """The choice ids that answer the question right: every correct one."""
    return list(
        Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True)
    )


def wrong_answer(question_id):
    """A choice id list that answers the question wrong: its first incorrect choice."""
    return [Choice.objects.filter(question_id=question_id, is_correct=False).first().pk]
