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
