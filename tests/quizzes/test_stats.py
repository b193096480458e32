"""quizzes/stats.py against small data sets worked out by hand."""

import math

import pytest

from quizzes.stats import QuestionStat, kr20, pearson, quiz_statistics


def questions(count, choices=()):
    """Question ids 1..count at positions 1..count."""
    return [(qid, qid, f"Question {qid}?", list(choices)) for qid in range(1, count + 1)]


def results_of(matrix):
    """Rows of 0/1 per question (ids from 1) -> the per-attempt result dicts."""
    return [{qid: bool(right) for qid, right in enumerate(row, start=1)} for row in matrix]


# Four attempts x three questions, a perfect "staircase":
#
#   attempt   Q1 Q2 Q3  total  score
#   A            1  1  1    3    100
#   B            1  1  0    2     66.67
#   C            1  0  0    1     33.33
#   D            0  0  0    0      0
STAIRCASE = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]
STAIRCASE_SCORES = [100.0, 200 / 3, 100 / 3, 0.0]


@pytest.fixture
def staircase():
    return quiz_statistics(
        questions=questions(3),
        results=results_of(STAIRCASE),
        scores=STAIRCASE_SCORES,
        passed=[True, True, False, False],
        picks={},
    )


def test_quiz_summary_by_hand(staircase):
    """mean = (100 + 66.67 + 33.33 + 0) / 4 = 50; median = (66.67 + 33.33) / 2 = 50.
    Sample sd: deviations 50, 16.67, -16.67, -50; squares sum to
    2 x (2500 + 2500/9) = 50000/9; / (n - 1 = 3) = 50000/27; sqrt = 43.033.
    Pass rate 2 / 4."""
    assert staircase.attempts == 4
    assert staircase.mean == pytest.approx(50)
    assert staircase.median == pytest.approx(50)
    assert staircase.sd == pytest.approx(math.sqrt(50000 / 27))
    assert staircase.sd == pytest.approx(43.033, abs=1e-3)
    assert staircase.pass_rate == 0.5


def test_facility_is_the_share_right(staircase):
    """Q1: 3 of 4; Q2: 2 of 4; Q3: 1 of 4."""
    assert [q.facility for q in staircase.questions] == [0.75, 0.5, 0.25]
    assert [q.attempts for q in staircase.questions] == [4, 4, 4]


def test_discrimination_is_the_item_rest_correlation(staircase):
    """Q1: item 1,1,1,0 (mean .75); rest = Q2 + Q3 = 2,1,0,0 (mean .75).
        deviations item .25,.25,.25,-.75; rest 1.25,.25,-.75,-.75
        sxy = .3125 + .0625 - .1875 + .5625 = .75
        sxx = 3 x .0625 + .5625 = .75;  syy = 1.5625 + .0625 + .5625 + .5625 = 2.75
        r = .75 / sqrt(.75 x 2.75) = sqrt(3/11) = 0.5222
    Q2: item 1,1,0,0 (mean .5); rest = Q1 + Q3 = 2,1,1,0 (mean 1)
        sxy = .5 x 1 + .5 x 0 - .5 x 0 - .5 x -1 = 1;  sxx = 1;  syy = 1 + 0 + 0 + 1 = 2
        r = 1 / sqrt(2) = 0.7071
    Q3: item 1,0,0,0; rest = Q1 + Q2 = 2,2,1,0: the mirror image of Q1, sqrt(3/11)."""
    q1, q2, q3 = (q.discrimination for q in staircase.questions)
    assert q1 == pytest.approx(math.sqrt(3 / 11))
    assert q1 == pytest.approx(0.5222, abs=1e-4)
    assert q2 == pytest.approx(1 / math.sqrt(2))
    assert q3 == pytest.approx(math.sqrt(3 / 11))


def test_kr20_by_hand(staircase):
    """k = 3; p = .75, .5, .25 so sum p(1-p) = .1875 + .25 + .1875 = .625.
    Totals 3, 2, 1, 0: mean 1.5, population variance (2.25 + .25 + .25 + 2.25) / 4 = 1.25.
    KR-20 = 3/2 x (1 - .625 / 1.25) = 0.75."""
    assert staircase.alpha == pytest.approx(0.75)
    assert kr20(STAIRCASE) == pytest.approx(0.75)


def test_nothing_is_flagged_in_a_healthy_quiz_but_four_attempts_are_too_few(staircase):
    assert [q.flags for q in staircase.questions] == [[], [], []]
    assert staircase.too_few


def test_negative_discrimination_is_computed_and_flagged():
    """Q1 Q2 Q3
    A      1  1  0
    B      1  1  0
    C      0  0  1
    D      1  0  0
    Q3: item 0,0,1,0 (mean .25); rest = Q1 + Q2 = 2,2,0,1 (mean 1.25)
        deviations item -.25,-.25,.75,-.25; rest .75,.75,-1.25,-.25
        sxy = -.1875 - .1875 - .9375 + .0625 = -1.25;  sxx = .75;  syy = 2.75
        r = -1.25 / sqrt(2.0625) = -0.8704
    Q1: item 1,1,0,1; rest = Q2 + Q3 = 1,1,1,0 (mean .75 each)
        sxy = .0625 + .0625 - .1875 - .1875 = -.25;  sxx = syy = .75;  r = -1/3
    Q2: rest = Q1 + Q3 = 1,1,1,1 does not vary: no discrimination."""
    stats = quiz_statistics(
        questions=questions(3),
        results=results_of([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 0]]),
        scores=[200 / 3, 200 / 3, 100 / 3, 100 / 3],
        passed=[True, True, False, False],
        picks={},
    )

    q1, q2, q3 = stats.questions
    assert q3.discrimination == pytest.approx(-1.25 / math.sqrt(2.0625))
    assert q3.discrimination == pytest.approx(-0.8704, abs=1e-4)
    assert q1.discrimination == pytest.approx(-1 / 3)
    assert q2.discrimination is None
    assert q3.flags == ["negative discrimination: stronger students do worse on it"]
    assert q2.flags == []


def test_questions_everyone_gets_right_or_wrong_have_no_discrimination_and_are_flagged():
    """Q1 right in every attempt, Q2 wrong in every attempt: neither varies."""
    stats = quiz_statistics(
        questions=questions(3),
        results=results_of([[1, 0, 1], [1, 0, 0], [1, 0, 1], [1, 0, 0]]),
        scores=[200 / 3, 100 / 3, 200 / 3, 100 / 3],
        passed=[True, False, True, False],
        picks={},
    )

    q1, q2, _q3 = stats.questions
    assert (q1.facility, q1.discrimination) == (1.0, None)
    assert (q2.facility, q2.discrimination) == (0.0, None)
    assert q1.flags == ["very easy: more than 95% answer it right"]
    assert q2.flags == ["very hard: fewer than 20% answer it right"]


@pytest.mark.parametrize(
    ("facility", "discrimination", "flagged"),
    [
        (0.19, 0.3, True),
        (0.20, 0.3, False),
        (0.95, 0.3, False),
        (0.96, 0.3, True),
        (0.50, -0.01, True),
        (0.50, 0.0, False),
        (0.50, None, False),
        (None, None, False),
    ],
)
def test_flag_thresholds(facility, discrimination, flagged):
    stat = QuestionStat(1, 1, "Q?", 10, facility, discrimination)

    assert bool(stat.flags) is flagged


def test_ten_attempts_are_enough_to_judge():
    def stats_for(n):
        return quiz_statistics(
            questions=questions(2),
            results=results_of([[n % 2, 1]] * n),
            scores=[50.0] * n,
            passed=[True] * n,
            picks={},
        )

    assert stats_for(9).too_few
    assert not stats_for(10).too_few


def test_choice_pick_counts_are_passed_through():
    choices = [(11, "Paris", True), (12, "Lyon", False), (13, "Nice", False)]
    stats = quiz_statistics(
        questions=[(1, 1, "Capital?", choices)],
        results=results_of([[1], [1], [0]]),
        scores=[100.0, 100.0, 0.0],
        passed=[True, True, False],
        picks={11: 2, 13: 1},
    )

    assert [(c.text, c.is_correct, c.picked) for c in stats.questions[0].choices] == [
        ("Paris", True, 2),
        ("Lyon", False, 0),
        ("Nice", False, 1),
    ]


def test_no_attempts_gives_empty_figures():
    stats = quiz_statistics(questions=questions(2), results=[], scores=[], passed=[], picks={})

    assert (stats.attempts, stats.mean, stats.median, stats.sd, stats.pass_rate) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert stats.alpha is None
    assert [(q.facility, q.discrimination) for q in stats.questions] == [(None, None)] * 2


def test_one_attempt_has_no_spread():
    stats = quiz_statistics(
        questions=questions(2),
        results=results_of([[1, 0]]),
        scores=[50.0],
        passed=[True],
        picks={},
    )

    assert (stats.mean, stats.median, stats.sd, stats.alpha) == (50.0, 50.0, None, None)


def test_a_question_added_later_is_judged_on_the_attempts_that_showed_it():
    """Q3 was added after attempts A and B: it is 1 right of 2 shown (C, D), not 1 of 4.
    KR-20 uses only the attempts shown every question (C, D): totals 3, 0 ->
    variance 2.25; each item p = .5 -> sum pq = .75; 3/2 x (1 - .75/2.25) = 1.0."""
    results = [{1: True, 2: True}, {1: False, 2: False}, {1: True, 2: True, 3: True}]
    results.append({1: False, 2: False, 3: False})

    stats = quiz_statistics(
        questions=questions(3),
        results=results,
        scores=[100.0, 0.0, 100.0, 0.0],
        passed=[True, False, True, False],
        picks={},
    )

    q1, _q2, q3 = stats.questions
    assert (q3.attempts, q3.facility) == (2, 0.5)
    assert (q1.attempts, q1.facility) == (4, 0.5)
    assert q3.discrimination == pytest.approx(1.0)
    assert stats.alpha == pytest.approx(1.0)


def test_pearson_by_hand():
    """x 1,2,3 and y 2,4,7: means 2 and 13/3; sxy = -1 x -7/3 + 0 + 1 x 8/3 = 5;
    sxx = 2; syy = 49/9 + 1/9 + 64/9 = 38/3; r = 5 / sqrt(2 x 38/3) = 0.9934."""
    assert pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(5 / math.sqrt(2 * 38 / 3))
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1], [1]) is None


def test_zero_correlation_is_not_negative():
    """item 0,1,0,0,1 (mean .4) and rest 0,2,0,3,0 (mean 1):
    sxy = .4 + .6 + .4 - .8 - .6 = 0 exactly, but in floating point it comes out
    as -1.1e-16, which must not flag the question as negative."""
    assert pearson([0, 1, 0, 0, 1], [0, 2, 0, 3, 0]) == 0.0
