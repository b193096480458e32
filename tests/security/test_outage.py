"""When the database goes away, every answer is a clear 503 "please retry": a site
page, the background save's JSON message, /healthz's "database unavailable". Never
gunicorn's bare "Internal Server Error". When it comes back, so does the site.

A real gunicorn (DEBUG off) reaches a fresh PostgreSQL database through a TCP
forwarder the test cuts and restores, as a network or a database restart would."""

import json
import os
import socket
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.pages import visible_text
from tests.security import servers

POSTGRES = ("127.0.0.1", 5432)
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PAGE_MESSAGE = (
    "The site cannot reach its database just now, so this request was not saved. "
    "Nothing you saved before is lost: try again in a minute."
)
JSON_MESSAGE = (
    "The site cannot reach its database just now, so this was not saved. Try again in a minute."
)


def postgres_reachable():
    try:
        socket.create_connection(POSTGRES, timeout=2).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not postgres_reachable(), reason="needs PostgreSQL at 127.0.0.1:5432 (user postgres)"
)


class Forwarder:
    """A TCP proxy to PostgreSQL that can be cut and restored on the same port: cut,
    its connections drop and the port refuses; silenced, they drop and new ones are
    accepted but never answered, as when the database host is gone from the network."""

    def __init__(self, target):
        self.target = target
        self.port = servers.free_port()
        self.connections = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.silent = False

    def start(self):
        self.silent = False
        if not self.stopped.is_set() and getattr(self, "thread", None):
            return  # silenced, not stopped: forward again
        self.stopped.clear()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((servers.HOST, self.port))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self.lock:
                self.connections.add(client)
            if self.silent:
                continue  # held open, never answered
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.connections.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _drop_connections(self):
        with self.lock:
            for sock in self.connections:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.connections.clear()

    def stop(self):
        self.stopped.set()
        self.thread.join()
        self.listener.close()
        self._drop_connections()

    def silence(self):
        self.silent = True
        self._drop_connections()


SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from quizzes.grading import start_attempt
from tests.factories import make_quiz

user = User.objects.create_user("sam", password="pw-for-tests-1")
attempt = start_attempt(user=user, quiz=make_quiz(questions=2))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "accounts.backends.PermissionsInOneQueryBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
question = attempt.paper["questions"][0]
print(json.dumps({
    "session": session.session_key,
    "attempt": attempt.pk,
    "question": question["id"],
    "choice": question["choices"][0]["id"],
}))
"""


@pytest.fixture(scope="module")
def database():
    import psycopg

    name = f"edge_outage_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):
    """gunicorn on the database through the forwarder, a signed-in student with an
    open attempt, and the CSRF cookie her attempt page set."""
    env = servers.production_env(f"postgres://postgres@127.0.0.1:5432/{database}")
    servers.manage(env, "migrate", "--noinput")
    made = json.loads(servers.manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1])

    forwarder = Forwarder(POSTGRES)
    forwarder.start()
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{forwarder.port}/{database}"
    log = tmp_path_factory.mktemp("outage") / "gunicorn.log"
    env["DJANGO_DB_CONNECT_TIMEOUT"] = "2"
    server = servers.gunicorn(env, log, "--timeout", "30")
    cookies = {"sessionid": made["session"]}
    status, headers, _ = get(server, f"/attempts/{made['attempt']}/", cookies)
    assert status == 200, server.output()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    yield {**made, "server": server, "forwarder": forwarder, "cookies": cookies}
    server.stop()
    if not forwarder.stopped.is_set():
        forwarder.stop()


@pytest.fixture
def outage(site):
    site["forwarder"].stop()
    yield site
    site["forwarder"].start()


def get(server, path, cookies=None, **headers):
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return servers.request(server.port, "GET", path, headers=headers)


def autosave(site):
    fields = {"shown": site["question"], f"q{site['question']}": site["choice"]}
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": site["cookies"]["csrftoken"],
        "Cookie": "; ".join(f"{k}={v}" for k, v in site["cookies"].items()),
    }
    path = f"/attempts/{site['attempt']}/save/"
    return servers.request(
        site["server"].port, "POST", path, headers=headers, body=urlencode(fields).encode()
    )


def assert_retry_page(status, headers, body):
    assert status == 503, body[:300]
    assert b"Internal Server Error" not in body
    text = visible_text(body)
    assert "Please retry" in text
    assert PAGE_MESSAGE in text
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Retry-After"]) > 0


def test_before_the_outage_the_site_answers(site):
    status, _, body = get(site["server"], "/", site["cookies"])
    assert status == 200
    assert "sam" in visible_text(body)
    assert autosave(site)[0] == 200


def test_an_anonymous_page_says_please_retry(outage):
    assert_retry_page(*get(outage["server"], "/"))


def test_a_signed_in_page_says_please_retry_not_a_bare_error(outage):
    # The error page used to load the session, and so the database, to show the menu.
    assert_retry_page(*get(outage["server"], "/", outage["cookies"]))
    assert_retry_page(*get(outage["server"], f"/attempts/{outage['attempt']}/", outage["cookies"]))


def test_the_background_save_is_told_in_json(outage):
    status, headers, body = autosave(outage)

    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"saved": False, "error": JSON_MESSAGE}
    assert int(headers["Retry-After"]) > 0


def test_healthz_says_database_unavailable(outage):
    status, headers, body = get(outage["server"], "/healthz")

    assert (status, body) == (503, b"database unavailable")
    assert headers["Content-Type"].startswith("text/plain")


def test_when_the_database_returns_so_does_the_site(site):
    site["forwarder"].stop()
    try:
        assert get(site["server"], "/healthz")[0] == 503
    finally:
        site["forwarder"].start()

    status, _, body = get(site["server"], "/healthz")
    assert (status, body) == (200, b"ok")
    status, _, body = get(site["server"], "/", site["cookies"])
    assert status == 200
    assert "sam" in visible_text(body)
    assert autosave(site)[0] == 200


def test_a_database_host_that_stops_answering_gets_503_within_the_connect_timeout(site):
    # No refusal, no answer: without a connect timeout each request would hang until
    # gunicorn killed its worker, and the student would get a bare error.
    site["forwarder"].silence()
    try:
        started = time.monotonic()
        status, headers, body = get(site["server"], "/", site["cookies"])
        elapsed = time.monotonic() - started
        healthz = get(site["server"], "/healthz")
    finally:
        site["forwarder"].start()

    assert_retry_page(status, headers, body)
    assert elapsed < 10, f"answered after {elapsed:.1f}s"
    assert (healthz[0], healthz[2]) == (503, b"database unavailable")
    assert get(site["server"], "/healthz")[0] == 200
