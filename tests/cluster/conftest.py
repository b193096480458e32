"""The production shape on loopback, started by deploy/run-local.sh: nginx in front of
gunicorn instances A and B, sharing PostgreSQL and Redis, with DEBUG off.

Every test here carries the `cluster` mark (`pytest -m cluster` selects them, `-m "not
cluster"` leaves them out). They are skipped, saying why, when nginx, PostgreSQL or Redis
is missing; with CLUSTER_TEST_REQUIRED=1 (CI) a missing one fails them instead.

The cluster gets a run directory and ports of its own, a PostgreSQL database of its own
(cluster_test_<pid>_<random>, dropped at the end) and Redis database 4
(CLUSTER_TEST_REDIS_URL), emptied first: a fresh database must not meet a cache filled
from another one. So a developer's `make cluster` and a test run never meet.
"""

import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from config.serve import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "run-local.sh"
HOST = "127.0.0.1"
POSTGRES = os.environ.get("CLUSTER_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cluster: nginx, two gunicorn instances, PostgreSQL and Redis (run-local.sh)"
    )


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.cluster)


# ------------------------------------------------------------------ what is missing


def nginx_path():
    return os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"


def missing():
    """Why the cluster cannot run here, or None."""
    import psycopg
    import redis

    if not Path(nginx_path()).exists():
        return "nginx is not installed (apt-get install -y nginx)"
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES} ({str(error).strip()})"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {REDIS_URL} ({error})"
    return None


# ------------------------------------------------------------------ the cluster


@dataclass
class Cluster:
    env: dict
    run_dir: Path
    port: int
    port_a: int
    port_b: int
    database_url: str

    def script(self, command, *, timeout=150, **env):
        return subprocess.run(
            [str(SCRIPT), command],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *, setup=True):
        done = self.script("start", CLUSTER_SETUP="1" if setup else "0")
        assert done.returncode == 0, f"start failed:\n{done.stdout}\n{done.stderr}"
        return done

    def pid(self, name):
        return int((self.run_dir / f"{name}.pid").read_text().split()[0])

    def kill(self, name):
        """An instance dies at once, as in a crash: SIGKILL to its master and workers (its
        process group: gunicorn --daemon detaches into a session of its own)."""
        group = os.getpgid(self.pid(name))
        assert group != os.getpgrp()  # never the test's own
        os.killpg(group, signal.SIGKILL)
        port = self.port_b if name == "b" else self.port_a
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1).close()
            except OSError:  # refused, or reset by a socket nobody serves any more
                return
            time.sleep(0.1)
        raise AssertionError(f"instance {name} still answers after SIGKILL")

    def nginx_log(self):
        path = self.run_dir / "nginx-access.log"
        return path.read_text() if path.exists() else ""

    def redis(self):
        import redis

        return redis.Redis.from_url(REDIS_URL)

    def query(self, sql, params=()):
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()


def cluster_env(run_dir, database_url, ports):
    """The caller's environment without its Django settings (the pytest process runs with
    DJANGO_DEBUG=1 and perhaps the test suite's DATABASE_URL): the script sets its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    port, port_a, port_b = ports
    env.update(
        CLUSTER_RUN_DIR=str(run_dir),
        CLUSTER_PORT=str(port),
        CLUSTER_PORT_A=str(port_a),
        CLUSTER_PORT_B=str(port_b),
        CLUSTER_DATABASE_URL=database_url,
        CLUSTER_REDIS_URL=REDIS_URL,
        CLUSTER_WAIT="60",
    )
    return env


def drop_database(name):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster():
    reason = missing()
    if reason:
        if os.environ.get("CLUSTER_TEST_REQUIRED") == "1":
            pytest.fail(f"CLUSTER_TEST_REQUIRED=1 but {reason}")
        pytest.skip(f"cluster tests skipped: {reason}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    # In /tmp, not pytest's tmp_path: started as root, nginx's workers run as nobody and
    # must reach the run directory, and pytest's is private to its user.
    run_dir = Path(tempfile.mkdtemp(prefix="cluster-"))
    name = f"cluster_test_{os.getpid()}_{secrets.token_hex(3)}"
    database_url = f"{POSTGRES}/{name}"
    ports = (free_port(), free_port(), free_port())
    the_cluster = Cluster(cluster_env(run_dir, database_url, ports), run_dir, *ports, database_url)
    try:
        the_cluster.start()
        yield the_cluster
    finally:
        stopped = the_cluster.script("stop")
        drop_database(name)
        if stopped.returncode == 0:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            print(f"stop failed, logs kept in {run_dir}:\n{stopped.stdout}\n{stopped.stderr}")


# ------------------------------------------------------------------ a browser


class Forms(HTMLParser):
    """The forms of a page: each one's action and the inputs inside it (name, value,
    type, checked), as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"id": attrs.get("id"), "action": attrs.get("action"), "inputs": []})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["inputs"].append(
                {
                    "name": attrs["name"],
                    "value": attrs.get("value", ""),
                    "type": attrs.get("type", "text"),
                    "checked": "checked" in attrs,
                }
            )


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Page:
    status: int
    headers: object
    text: str
    forms: list = field(default_factory=list)

    @property
    def location(self):
        return self.headers.get("Location", "")

    def form(self, *, action_ends=None, form_id=None, having=None):
        """The first form with that id, an action ending so, or an input of that name."""
        for form in self.forms:
            if form_id and form["id"] == form_id:
                return form
            if action_ends and (form["action"] or "").endswith(action_ends):
                return form
            if having and any(i["name"] == having for i in form["inputs"]):
                return form
        wanted = form_id or action_ends or having
        raise AssertionError(f"no form {wanted} on the page:\n{self.text[:2000]}")

    def json(self):
        return json.loads(self.text)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads each redirect itself


class Browser:
    """One visitor: a cookie jar shared by every port, as a browser shares cookies of a
    host (cookies ignore ports), so the session cookie nginx's answer set reaches A and B
    when the test talks to them directly. POSTs carry Origin, as browsers send it."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects
        )

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def open(self, port, path, data=None, headers=None):
        request = urllib.request.Request(
            f"http://{HOST}:{port}{path}", data=data, headers=headers or {}
        )
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            text = response.read().decode()
            page = Page(response.status, response.headers, text)
        if "html" in page.headers.get("Content-Type", ""):
            page.forms = forms_of(text)
        return page

    def get(self, port, path, **headers):
        return self.open(port, path, headers=headers)

    def post(self, port, path, fields, **headers):
        body = urllib.parse.urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{HOST}:{port}",
            **headers,
        }
        return self.open(port, path, data=body, headers=headers)


def token_of(form):
    return next(i["value"] for i in form["inputs"] if i["name"] == "csrfmiddlewaretoken")
