"""Two app servers behind nginx, as deployed (deploy/run-local.sh): a student who signs up
through nginx continues on either instance, a quiz taken across both is graded from what
was saved on either, and when one instance dies, nginx serves everything from the other
and nothing the student did is lost."""

import os
import re
import secrets

from tests.cluster.conftest import Browser, token_of

COURSE = "/courses/coalition-of-the-willing/"
PASSWORD = "cluster-pw-Kettle-29"


def sign_up(browser, port):
    page = browser.get(port, "/accounts/signup/")
    assert page.status == 200
    username = f"student-{secrets.token_hex(4)}"
    answer = browser.post(
        port,
        "/accounts/signup/",
        {
            "csrfmiddlewaretoken": token_of(page.form(having="password1")),
            "username": username,
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert answer.status == 302, answer.text[:2000]
    return username


def lesson_paths(browser, port):
    page = browser.get(port, COURSE)
    assert page.status == 200
    found = re.findall(rf'href="({re.escape(COURSE)}[\w-]+/)"', page.text)
    return list(dict.fromkeys(found))  # in page order, once each


def start_quiz(browser, port, lesson):
    page = browser.get(port, f"{lesson}quiz/")
    assert page.status == 200
    form = page.form(action_ends="/quiz/start/")
    answer = browser.post(port, form["action"], {"csrfmiddlewaretoken": token_of(form)})
    assert answer.status == 302
    match = re.fullmatch(r"/attempts/(\d+)/", answer.location)
    assert match, answer.location
    return int(match.group(1))


def attempt_form(browser, port, attempt):
    """The attempt page's form: its token, the questions shown ({id: [choice ids]}) and
    what is checked ({id: [choice ids]})."""
    page = browser.get(port, f"/attempts/{attempt}/")
    assert page.status == 200, page.text[:2000]
    form = page.form(form_id="attempt-form")
    inputs = form["inputs"]
    shown = [i["value"] for i in inputs if i["name"] == "shown"]
    choices = {q: [i for i in inputs if i["name"] == f"q{q}"] for q in shown}
    checked = {q: [i["value"] for i in boxes if i["checked"]] for q, boxes in choices.items()}
    choices = {q: [i["value"] for i in boxes] for q, boxes in choices.items()}
    return token_of(form), choices, checked


def pick(choices):
    """One choice per question, not always the first."""
    return {q: [ids[n % len(ids)]] for n, (q, ids) in enumerate(choices.items())}


def answer_fields(token, answers, shown=None):
    fields = [("csrfmiddlewaretoken", token)]
    fields += [("shown", q) for q in (shown or answers)]
    fields += [(f"q{q}", c) for q, ids in answers.items() for c in ids]
    return fields


def save(browser, port, attempt, token, answers, seq):
    """A background save, as attempt.js sends it."""
    fields = answer_fields(token, answers) + [("page", "clustertest"), ("seq", str(seq))]
    page = browser.post(
        port,
        f"/attempts/{attempt}/save/",
        fields,
        Accept="application/json",
        **{"X-CSRFToken": token},
    )
    assert page.status == 200, page.text[:2000]
    assert page.json() == {"saved": True, "questions": len(answers)}


def submit(browser, port, attempt, token, answers):
    """The Submit button: the whole form, every question answered."""
    page = browser.post(port, f"/attempts/{attempt}/submit/", answer_fields(token, answers))
    assert page.status == 302, page.text[:2000]
    assert page.location == f"/attempts/{attempt}/result/"


def result_score(browser, port, attempt):
    page = browser.get(port, f"/attempts/{attempt}/result/")
    assert page.status == 200, page.text[:2000]
    return re.search(r'<p class="display-6 mb-1">([^<]+)</p>', page.text).group(1)


def stored(cluster, attempt):
    """What PostgreSQL holds of an attempt: (submitted?, score, {question: [choices]})."""
    [(submitted_at, score)] = cluster.query(
        "SELECT submitted_at, score FROM quizzes_attempt WHERE id = %s", [attempt]
    )
    rows = cluster.query(
        "SELECT question_id, selected FROM quizzes_response WHERE attempt_id = %s", [attempt]
    )
    answers = {str(q): sorted(str(c) for c in selected) for q, selected in rows if selected}
    return submitted_at is not None, score, answers


def test_nginx_spreads_requests_over_both_instances(cluster):
    cluster.start(setup=False)  # whole again, whatever an earlier test did

    for _ in range(6):
        assert Browser().get(cluster.port, "/healthz").text == "ok"

    served_by = set(re.findall(r"upstream=(\S+)", cluster.nginx_log()))
    assert {f"127.0.0.1:{cluster.port_a}", f"127.0.0.1:{cluster.port_b}"} <= served_by


def test_starting_twice_starts_nothing_more_and_status_says_all_runs(cluster):
    cluster.start(setup=False)
    pids = {name: cluster.pid(name) for name in ("a", "b", "nginx")}

    again = cluster.start(setup=False)

    assert "already runs" in again.stdout
    assert {name: cluster.pid(name) for name in pids} == pids
    status = cluster.script("status")
    assert status.returncode == 0, status.stdout
    assert status.stdout.count("running, PID") == 3


def test_a_quiz_across_both_instances_survives_losing_one(cluster):
    cluster.start(setup=False)
    browser = Browser()
    a, b, front = cluster.port_a, cluster.port_b, cluster.port

    # Signed up through nginx; the one session cookie works on A and on B, its session
    # cached in the shared Redis (and written through to PostgreSQL).
    username = sign_up(browser, front)
    for port in (a, b):
        assert browser.get(port, "/accounts/profile/").status == 200
    session = browser.cookie("sessionid")
    assert cluster.redis().keys(f"*django.contrib.sessions.cached_db{session}")
    assert cluster.query("SELECT 1 FROM django_session WHERE session_key = %s", [session])
    first_lesson, second_lesson = lesson_paths(browser, front)[:2]
    # The forms' CSRF token is checked on every instance: without it, refused.
    assert browser.post(a, f"{first_lesson}quiz/start/", {}).status == 403

    # Started on A, answered on B, submitted on A, its result read on B.
    attempt = start_quiz(browser, a, first_lesson)
    token, choices, _ = attempt_form(browser, b, attempt)
    answers = pick(choices)
    save(browser, b, attempt, token, answers, seq=1)
    token, _, checked = attempt_form(browser, a, attempt)
    assert checked == answers  # B's save, seen by A
    submit(browser, a, attempt, token, answers)
    score = result_score(browser, b, attempt)
    assert score == result_score(browser, a, attempt)

    # A second quiz, half answered on B; then B dies.
    second = start_quiz(browser, front, second_lesson)
    token, choices, _ = attempt_form(browser, b, second)
    answers_2 = pick(choices)
    half = dict(list(answers_2.items())[: len(answers_2) // 2 or 1])
    save(browser, b, second, token, half, seq=1)
    cluster.kill("b")
    assert cluster.script("status").returncode == 3

    # Through nginx everything still works, from A, with B's save in place.
    for _ in range(4):
        assert browser.get(front, "/healthz").status == 200
    token, _, checked = attempt_form(browser, front, second)
    assert {q: ids for q, ids in checked.items() if ids} == half
    save(browser, front, second, token, answers_2, seq=2)
    submit(browser, front, second, token, answers_2)
    result_score(browser, front, second)
    assert result_score(browser, front, attempt) == score
    assert browser.get(front, COURSE).status == 200
    log = cluster.nginx_log()
    assert f"upstream=127.0.0.1:{b}, 127.0.0.1:{a} " in log  # B refused, A answered
    assert not [status for status in re.findall(r'HTTP/1\.[01]" (\d{3}) ', log) if status >= "500"]

    # Nothing lost: PostgreSQL holds both attempts, graded, with every answer.
    assert stored(cluster, attempt)[0] is True
    assert stored(cluster, attempt)[2] == {q: sorted(ids) for q, ids in answers.items()}
    submitted, grade, saved = stored(cluster, second)
    assert submitted and grade is not None
    assert saved == {q: sorted(ids) for q, ids in answers_2.items()}
    [(owner,)] = cluster.query(
        "SELECT u.username FROM quizzes_attempt a JOIN auth_user u ON u.id = a.user_id "
        "WHERE a.id = %s",
        [second],
    )
    assert owner == username

    # Start again brings back only what died.
    a_pid, nginx_pid = cluster.pid("a"), cluster.pid("nginx")
    restarted = cluster.start(setup=False)
    assert "Started: b." in restarted.stdout
    assert (cluster.pid("a"), cluster.pid("nginx")) == (a_pid, nginx_pid)
    assert browser.get(b, f"/attempts/{second}/result/").status == 200


def test_stop_stops_everything_and_stopping_again_is_fine(cluster):
    cluster.start(setup=False)
    pids = [cluster.pid(name) for name in ("a", "b", "nginx")]

    assert cluster.script("stop").returncode == 0
    again = cluster.script("stop")

    assert again.returncode == 0
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"PID {pid} still runs after stop")
    assert cluster.script("status").returncode == 3
    assert not list(cluster.run_dir.glob("*.pid"))
