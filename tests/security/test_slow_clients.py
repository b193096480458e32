"""Slow clients cannot take the site down: under the stack `make serve` runs (nginx in
front of gunicorn), twenty connections that send half their headers and then nothing
leave /healthz answering at once. gunicorn alone (two sync workers) stopped answering
at four."""

import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.security import servers

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(),
    reason="nginx not installed: `apt-get install -y nginx` to test the `make serve` stack",
)


def make_serve_command(port):
    """The command `make serve` runs, as make itself prints it (nothing is run)."""
    result = subprocess.run(
        ["make", "-n", "-B", "serve", f"PORT={port}"],
        cwd=servers.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = [line for line in result.stdout.splitlines() if "config/serve.py" in line]
    return shlex.split(line)


@pytest.fixture
def serve_stack(tmp_path):
    port = servers.free_port()
    env = servers.production_env(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = servers.Server(make_serve_command(port), env, port, tmp_path / "serve.log")
    yield server
    server.stop()


def slow_connections(port, count):
    held = []
    for _ in range(count):
        sock = socket.create_connection((servers.HOST, port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # ...and nothing more
        held.append(sock)
    return held


def test_make_serve_puts_nginx_in_front_of_gunicorn():
    command = make_serve_command(8000)

    assert command[1:4] == ["config/serve.py", "--port", "8000"]
    assert "gunicorn" in command[command.index("--") + 1]


def test_twenty_slow_header_connections_leave_healthz_answering(serve_stack):
    held = slow_connections(serve_stack.port, 20)
    time.sleep(0.5)  # the workers, if they were the ones reading, are now all waiting
    try:
        timings = []
        for _ in range(5):
            started = time.monotonic()
            status, _, body = servers.request(serve_stack.port, "GET", "/healthz", timeout=5)
            timings.append(time.monotonic() - started)
            assert (status, body) == (200, b"ok")
    finally:
        for sock in held:
            sock.close()

    assert max(timings) < 1, f"/healthz took {max(timings):.2f}s"


def test_a_huge_body_is_refused_by_nginx_before_it_is_read(serve_stack):
    head = (
        "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Cookie: csrftoken={'k' * 32}\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n--xyz\r\n"
    )
    started = time.monotonic()

    status, _, _ = servers.raw(serve_stack.port, head.encode(), timeout=5)

    assert status == 413
    assert time.monotonic() - started < 2
