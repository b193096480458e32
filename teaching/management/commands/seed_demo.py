from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from learning.models import Course
from teaching.models import Classroom, Enrollment
from teaching.roles import TEACHERS_GROUP

DEMO_CLASS_CODE = "DEMO2026"
# Known passwords are the point of demo accounts: they exist only where DEBUG is on.
ACCOUNTS = [
    ("admin", "admin-demo-pass", "admin"),
    ("teacher", "teacher-demo-pass", "teacher"),
    ("student1", "student-demo-pass", "student"),
    ("student2", "student-demo-pass", "student"),
    ("student3", "student-demo-pass", "student"),
]


class Command(BaseCommand):
    help = "Create demo accounts (admin, teacher, three students) and a class. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords; with DEBUG off, "
                "pass --force if you really mean it."
            )
        try:
            teachers = Group.objects.get(name=TEACHERS_GROUP)  # made by a migration
        except Group.DoesNotExist:
            raise CommandError("No Teachers group: run `manage.py migrate` first.") from None
        users = {}
        for username, password, role in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            if created:
                user.set_password(password)
                user.is_staff = user.is_superuser = role == "admin"
                user.save()
            if role == "teacher":
                user.groups.add(teachers)
            users[username] = user

        classroom, _ = Classroom.objects.get_or_create(
            join_code=DEMO_CLASS_CODE, defaults={"name": "Demo class"}
        )
        classroom.teachers.add(users["teacher"])
        classroom.courses.add(*Course.objects.published())
        for username in ("student1", "student2"):
            Enrollment.objects.get_or_create(classroom=classroom, student=users[username])

        self.stdout.write("Demo accounts (development only):")
        for username, password, role in ACCOUNTS:
            self.stdout.write(f"  {role:<8} {username:<9} password: {password}")
        self.stdout.write(
            f"Class '{classroom.name}' join code: {classroom.join_code} "
            "(student1 and student2 are in it; student3 can join)."
        )
