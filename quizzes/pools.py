"""Drawing an attempt's questions from a quiz's pool, and freezing them as its paper.

A quiz's pool is its approved questions; an attempt draws `questions_per_attempt` of
them. A retake shows the questions this student has seen least, so it differs where
the pool allows, and never two questions the item checks find cueing each other.
"""

import random
from collections import Counter

from . import pool_checks, quiz_checks
from .models import Attempt


def draw(pool, count, *, seen=None, cueing=(), rng=random):
    """Up to `count` keys from `pool` (keys in their order): least seen first, at random
    among equals, skipping any key that cues one already drawn. Returned in pool order."""
    if count >= len(pool) and not cueing:
        return list(pool)  # the whole pool: nothing to choose, no randomness spent
    seen = seen or Counter()
    order = {key: index for index, key in enumerate(pool)}
    candidates = list(pool)
    rng.shuffle(candidates)
    candidates.sort(key=lambda key: seen[key])  # stable: random within each count
    drawn = []
    for key in candidates:
        if len(drawn) == count:
            break
        if any(frozenset((key, other)) in cueing for other in drawn):
            continue
        drawn.append(key)
    return sorted(drawn, key=order.__getitem__)


def seen_questions(user, quiz):
    """How many of this student's earlier attempts at the quiz showed each question."""
    papers = Attempt.objects.filter(user=user, quiz=quiz).values_list("paper", flat=True)
    return Counter(question["id"] for paper in papers for question in paper.get("questions", []))


def build_paper(quiz, *, user=None, rng=random):
    """What the student will see, in the order shown; never which choice is right."""
    pool = list(quiz.questions.approved().order_by("position").prefetch_related("choices"))
    by_id = {question.pk: question for question in pool}
    keys = draw(
        list(by_id),
        quiz.questions_per_attempt or len(pool),
        seen=seen_questions(user, quiz) if user is not None else None,
        cueing=pool_checks.cueing_pairs([quiz_checks.item(question) for question in pool]),
        rng=rng,
    )
    questions = [by_id[key] for key in keys]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    paper = []
    for question in questions:
        choices = sorted(question.choices.all(), key=lambda c: c.position)
        if quiz.shuffle_choices:
            rng.shuffle(choices)
        paper.append(
            {
                "id": question.pk,
                "prompt": question.prompt,
                "kind": question.kind,
                "choices": [{"id": c.pk, "text": c.text} for c in choices],
            }
        )
    return {"questions": paper}
