import factory
from django.contrib.auth.models import User

from learning.models import Course, Lesson
from quizzes.models import Choice, Question, QuestionKind, Quiz


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


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n + 1)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.SINGLE
    explanation = "Because the section says so."
    source_passage = "The section, verbatim."


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
