import sys

from django.core.management.base import BaseCommand, CommandError

from learning.models import Course
from quizzes.models import Quiz
from quizzes.quiz_checks import reports


class Command(BaseCommand):
    help = (
        "Check every question (drafts and approved, not retired) against the item-writing "
        "rules. Prints each finding with its rule and evidence; exits 1 when there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", nargs="?", help="A course slug (default: every course).")

    def handle(self, *args, course, **options):
        quizzes = Quiz.objects.all()
        if course is not None:
            if not Course.objects.filter(slug=course).exists():
                raise CommandError(f"No course has the slug '{course}'.")
            quizzes = quizzes.filter(lesson__course__slug=course)
        found = 0
        for quiz, report in reports(quizzes):
            lesson = quiz.lesson
            where = f"{lesson.course.slug} / lesson {lesson.position} '{lesson.title}'"
            for finding in report.quiz:
                self.stdout.write(f"{where}: {finding}")
            positions = {q.pk: q.position for q in quiz.questions.all()}
            for pk, findings in report.questions.items():
                for finding in findings:
                    hard = "ERROR " if finding.hard else ""
                    self.stdout.write(f"{where}, Q{positions[pk]}: {hard}{finding}")
            found += report.count
        if found:
            self.stderr.write(f"{found} finding{'s' if found != 1 else ''}.")
            sys.exit(1)
