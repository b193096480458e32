"""How rooms above quizzes act on a graded attempt without quizzes naming them.

Spaced review, for one, turns each graded answer into a card update (see
review.apps). Each callable runs inside the submit's transaction, so a failure
after grading undoes the grade and everything the callables wrote together.
"""

# Callables (attempt, results, now) -> None; `results` is {question id: is_right}.
after_grading = []
