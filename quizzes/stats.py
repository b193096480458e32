"""Question statistics in the spirit of Moodle's quiz statistics report.

`quiz_statistics` is pure: it takes the attempts' scores and per-question
results and returns numbers, so it is tested against hand-worked examples.
"""

import json
import math
import statistics
from dataclasses import dataclass, field

from django.db.models import TextField
from django.db.models.functions import Cast

from .models import Response

LOW_FACILITY = 0.20
HIGH_FACILITY = 0.95
MIN_ATTEMPTS_TO_JUDGE = 10


@dataclass
class ChoiceStat:
    id: int
    text: str
    is_correct: bool
    picked: int


@dataclass
class QuestionStat:
    id: int
    position: int
    prompt: str
    attempts: int
    facility: float | None
    discrimination: float | None
    choices: list = field(default_factory=list)

    @property
    def flags(self):
        reasons = []
        if self.facility is not None and self.facility < LOW_FACILITY:
            reasons.append("very hard: fewer than 20% answer it right")
        if self.facility is not None and self.facility > HIGH_FACILITY:
            reasons.append("very easy: more than 95% answer it right")
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append("negative discrimination: stronger students do worse on it")
        return reasons


@dataclass
class QuizStat:
    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    pass_rate: float | None
    alpha: float | None
    questions: list

    @property
    def too_few(self):
        return self.attempts < MIN_ATTEMPTS_TO_JUDGE


def pearson(xs, ys):
    """Correlation of two equal-length lists; None when either does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    r = sxy / math.sqrt(sxx * syy)
    # Rounding noise must not turn a zero correlation into a "negative" flag.
    return 0.0 if abs(r) < 1e-9 else r


def kr20(item_matrix):
    """KR-20 (Cronbach's alpha for right/wrong items) of rows of 0/1 item scores."""
    if len(item_matrix) < 2:
        return None
    k = len(item_matrix[0])
    if k < 2:
        return None
    totals = [sum(row) for row in item_matrix]
    variance = _pvariance(totals)
    if variance == 0:
        return None
    n = len(item_matrix)
    # A 0/1 item's variance is p(1 - p): no second pass over the rows.
    item_variance = 0.0
    for i in range(k):
        p = sum(row[i] for row in item_matrix) / n
        item_variance += p * (1 - p)
    return k / (k - 1) * (1 - item_variance / variance)


def _pvariance(values):
    """Population variance in floats (statistics.pvariance is exact, with fractions, and slow)."""
    n = len(values)
    mean = sum(values) / n
    return sum((x - mean) ** 2 for x in values) / n


def quiz_statistics(*, questions, results, scores, passed, picks):
    """
    questions: [(id, position, prompt, [(choice id, text, is_correct)])] in order;
    results: one {question id: right?} per attempt, holding the questions that
    attempt was shown (a question added later is missing from older attempts);
    scores: one percentage per attempt; passed: one bool per attempt;
    picks: {choice id: times chosen}.
    """
    n = len(scores)
    ids = [q[0] for q in questions]
    totals = [sum(1 for qid in ids if result.get(qid)) for result in results]
    question_stats = []
    for qid, position, prompt, choices in questions:
        # Each question is judged on the attempts that showed it.
        shown = [
            (result, total) for result, total in zip(results, totals, strict=True) if qid in result
        ]
        item = [1 if result[qid] else 0 for result, _total in shown]
        rest = [total - right for (_result, total), right in zip(shown, item, strict=True)]
        question_stats.append(
            QuestionStat(
                id=qid,
                position=position,
                prompt=prompt,
                attempts=len(shown),
                facility=sum(item) / len(shown) if shown else None,
                discrimination=pearson(item, rest),
                choices=[ChoiceStat(cid, text, ok, picks.get(cid, 0)) for cid, text, ok in choices],
            )
        )
    # KR-20 needs the same items in every row: attempts shown all of today's questions.
    matrix = [
        [1 if result[qid] else 0 for qid in ids]
        for result in results
        if all(qid in result for qid in ids)
    ]
    return QuizStat(
        attempts=n,
        mean=statistics.fmean(scores) if n else None,
        median=statistics.median(scores) if n else None,
        sd=statistics.stdev(scores) if n > 1 else None,
        pass_rate=sum(passed) / n if n else None,
        alpha=kr20(matrix),
        questions=question_stats,
    )


def statistics_for(quiz, attempts):
    """Read what `quiz_statistics` needs in three queries, whatever the class size."""
    rows = list(attempts.values_list("pk", "score", "passed"))
    questions = [
        (q.pk, q.position, q.prompt, [(c.pk, c.text, c.is_correct) for c in q.choices.all()])
        for q in quiz.questions.order_by("position").prefetch_related("choices")
    ]
    results = {pk: {} for pk, _score, _passed in rows}
    picks = {}
    answers = list(
        Response.objects.filter(attempt__in=attempts.values("pk"))
        .order_by()
        .values_list("attempt_id", "question_id", "is_correct", Cast("selected", TextField()))
    )
    # The chosen ids of every answer in one parse: a JSON decode per row cost more
    # than the query itself.
    chosen = json.loads("[" + ",".join(row[3] for row in answers) + "]")
    for (attempt_id, question_id, is_correct, _text), selected in zip(answers, chosen, strict=True):
        if attempt_id not in results:
            continue  # submitted between the two queries: counted next time
        results[attempt_id][question_id] = bool(is_correct)
        for choice_id in selected:
            picks[choice_id] = picks.get(choice_id, 0) + 1
    return quiz_statistics(
        questions=questions,
        results=list(results.values()),
        scores=[float(score) for _pk, score, _passed in rows],
        passed=[bool(p) for _pk, _score, p in rows],
        picks=picks,
    )
