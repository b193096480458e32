"""How rooms above learning add to its pages without learning naming them.

The quiz room, for one, asks for each lesson's quiz to be fetched with the lesson
and shows the call to take it after the lesson (see quizzes.apps). Filled once, in
the AppConfig.ready() of the rooms that extend a page.
"""

# Relations fetched in the same query as a lesson page's lesson (select_related names).
lesson_related = []
# Values computed in that same query (annotate()'s keyword arguments: name -> expression).
lesson_annotations = {}
# Callables (request, lesson) -> safe HTML, shown in order after the lesson's text.
lesson_panels = []


def lesson_panels_for(request, lesson):
    return [html for panel in lesson_panels if (html := panel(request, lesson))]


# Callables (request, lessons) -> {lesson pk: due}, where a due has `due_at` (an aware
# datetime), `label` (for people: "due Friday", "overdue") and `overdue`: when the
# signed-in learner should have finished each lesson. The teaching room answers for
# its classes; where several answers name one lesson, the earliest is shown.
lesson_due_dates = []


def due_dates_for(request, lessons):
    lessons = list(lessons)
    found = {}
    for hook in lesson_due_dates:
        for pk, due in hook(request, lessons).items():
            if pk not in found or due.due_at < found[pk].due_at:
                found[pk] = due
    return found


# Callables (request, lessons, progress) -> {lesson pk: mastery}, where `progress` is
# {lesson pk: LessonProgress} as the page read it (None: the hook reads it) and a
# mastery has `level` (a string value), `label` (for people: "Needs review"),
# `badge_class` (the badge's CSS classes; the label is always shown, so colour is never
# the only sign) and `practice_url` (where to practise the lesson's questions, or "").
# The review room answers from its cards; where several answers name one lesson, the
# last registered is shown.
lesson_mastery = []


def mastery_for(request, lessons, progress=None):
    if not lesson_mastery or not request.user.is_authenticated:
        return {}
    lessons = list(lessons)
    found = {}
    for hook in lesson_mastery:
        found.update(hook(request, lessons, progress))
    return found
