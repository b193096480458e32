"""What is measured: the pages, who requests them and the goal of each, and the plan of
a run: the paths, sessions and request lists of the pages that are replayed."""

import sys
from urllib.parse import urlencode

from django_setup import log
from load import answer_body, make_session

SAVERS = 20  # runners whose open attempts take the attempt page and save benchmarks
SUBMITS_PER_SECOND = 250  # capacity planned for the submit benchmark, per second of run

# name, who, goal ratio to the ceiling (None: no goal), goal p99 in ms
PAGES = [
    ("ceiling (/healthz)", None, None, None),
    ("home, anonymous", None, None, None),
    ("home, signed in", "student", None, None),
    ("lesson, anonymous", None, 0.25, None),
    ("course, signed in", "student", 0.12, None),
    ("lesson, signed in", "student", 0.12, None),
    ("progress", "student", 0.12, None),
    ("attempt page", "runner", 0.12, None),
    ("save one answer", "runner", 0.15, None),
    ("submit", "runner", 0.10, 250),
    ("result page", "student", None, None),
    ("class grid, 100 students", "teacher", 0.03, None),
    ("class CSV", "teacher", None, None),
    ("quiz statistics", "teacher", None, None),
]
CEILING = PAGES[0][0]
# Short names for --pages.
KEYS = dict(
    zip(
        "ceiling home home-in lesson course lesson-in progress attempt save submit result grid"
        " csv stats".split(),
        (p[0] for p in PAGES),
        strict=True,
    )
)

# Pages whose requests come from a list (replay.lua): one of them stands for the page.
EXAMPLES = {"attempt page": "attempt_example", "save one answer": "save_example"}


def example(the_plan, name, session):
    """One request of a page but submit, as (method, path, session id, body, Accept);
    session: the signed-in persona's, for the pages that are not replayed."""
    if name in EXAMPLES:
        return the_plan[EXAMPLES[name]]
    return "GET", the_plan["paths"][name], session, "", ""


def plan(args, run_dir):
    """Who requests what: paths, sessions and request lists for the replayed pages."""
    import data
    from django.contrib.auth.models import User
    from django.urls import reverse

    from quizzes.models import Attempt, Quiz
    from teaching.models import Classroom

    student = User.objects.get(username=data.student_name(1))
    teacher = User.objects.get(username=data.teacher_name(1))
    classroom = Classroom.objects.get(teachers=teacher)
    quizzes = list(Quiz.objects.select_related("lesson__course").order_by("lesson__position"))
    quiz = quizzes[0]
    lesson = quiz.lesson
    result = Attempt.objects.submitted().filter(user=student, quiz=quiz).order_by("-number")[0]
    runners = list(User.objects.filter(username__startswith=f"{data.PREFIX}runner-"))
    runners.sort(key=lambda u: u.username)
    if len(runners) < SAVERS + 2:
        sys.exit(f"Need at least {SAVERS + 2} runners; build_data.py made {len(runners)}.")
    sessions = {u.pk: make_session(u) for u in runners}
    open_attempts = {}
    for attempt in Attempt.objects.open().filter(user__in=runners).select_related("quiz__lesson"):
        open_attempts.setdefault(attempt.user_id, []).append(attempt)
    for attempts in open_attempts.values():
        attempts.sort(key=lambda a: a.quiz.lesson.position)

    savers, submitters, spare = runners[:SAVERS], runners[SAVERS:-1], runners[-1]
    # Attempt pages and saves: round and round the savers' attempts, a question at a time.
    saver_attempts = [a for u in savers for a in open_attempts[u.pk]]
    attempt_lines = [
        ("GET", reverse("quizzes:attempt", args=[a.pk]), sessions[a.user_id], "", "")
        for a in saver_attempts
    ]
    save_lines = []
    shown = min(len(a.paper["questions"]) for a in saver_attempts)  # questions per attempt
    for index in range(shown):
        for a in saver_attempts:
            q = a.paper["questions"][index]
            body = urlencode([("shown", q["id"]), (f"q{q['id']}", q["choices"][index % 2]["id"])])
            save_lines.append(
                (
                    "POST",
                    reverse("quizzes:save", args=[a.pk]),
                    sessions[a.user_id],
                    body,
                    "application/json",
                )
            )
    # Submits: each request its own fresh attempt, a different student each time.
    pool = [
        (
            "POST",
            reverse("quizzes:submit", args=[a.pk]),
            sessions[a.user_id],
            answer_body(a, confirm=True),
            "",
        )
        for position in range(len(quizzes))
        for u in submitters
        for a in open_attempts[u.pk][position : position + 1]
    ]
    slots = args.rounds * len(args.variants) * (args.retries + 1)
    share = len(pool) // slots
    needed = int(args.duration * SUBMITS_PER_SECOND)
    if share < needed:
        log(
            f"Warning: {share} fresh attempts per submit round for {needed} planned;"
            f" build_data.py needs more --runners."
        )
    files = {}

    def write(name, lines):
        path = run_dir / f"{name}.tsv"
        path.write_text("".join("\t".join(map(str, line)) + "\n" for line in lines))
        return path

    # Indexed by slot: round number x variant count + variant number.
    files["attempt page"] = [write("attempt-page", attempt_lines)] * slots
    files["save one answer"] = [write("save", save_lines)] * slots
    files["submit"] = [
        write(f"submit-{n + 1}", pool[n * share : (n + 1) * share]) for n in range(slots)
    ]

    course_url = reverse("learning:course", args=[lesson.course.slug])
    lesson_url = reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])
    paths = {
        CEILING: reverse("healthz"),
        "home, anonymous": reverse("home"),
        "home, signed in": reverse("home"),
        "lesson, anonymous": lesson_url,
        "course, signed in": course_url,
        "lesson, signed in": lesson_url,
        "progress": reverse("quizzes:progress"),
        "attempt page": attempt_lines[0][1],
        "save one answer": save_lines[0][1],
        "submit": pool[0][1],
        "result page": reverse("quizzes:result", args=[result.pk]),
        "class grid, 100 students": reverse("teaching:class_grid", args=[classroom.pk]),
        "class CSV": reverse("teaching:class_csv", args=[classroom.pk]),
        "quiz statistics": reverse("teaching:stats", args=[quiz.pk]),
    }
    spare_attempts = open_attempts[spare.pk]
    return {
        "student": student,
        "teacher": teacher,
        "classroom": classroom,
        "class_size": classroom.enrollments.count(),
        "paths": paths,
        "files": files,
        "pool": pool,
        "submitters": submitters,
        "spare": (spare, sessions[spare.pk], spare_attempts),
        "save_example": save_lines[0],
        "attempt_example": attempt_lines[0],
    }
