"""Real servers for the tests that need real sockets: gunicorn (or the `make serve`
stack) in a subprocess with production settings, and raw HTTP over a socket."""

import atexit
import functools
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config.serve import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def production_env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=collected_static(),
        DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


def manage(env, *args, **options):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **options,
    )


@functools.cache
def collected_static():
    """Pages under DEBUG=0 name their static files from collectstatic's manifest:
    collect once per test run, into a directory of its own."""
    path = tempfile.mkdtemp(prefix="static-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",  # the manifest storage of production
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": path,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return path


class Server:
    """A command that serves HTTP on `port`, started and waited for; stop() ends it."""

    def __init__(self, command, env, port, log_path):
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                status, _, _ = request(port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer on port {port}: {self.output()}")

    def output(self):
        self.log.flush()
        return Path(self.log_path).read_text()[-3000:]

    def stop(self):
        stop(self.process)
        self.log.close()


def gunicorn(env, log_path, *options):
    port = free_port()
    command = [GUNICORN, "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", "1", *options]
    return Server(command, env, port, log_path)


def raw(port, data, *, timeout=10):
    """Send bytes as they are; return (status, headers, body) of the answer, read up to
    its Content-Length (a server may keep the connection open after answering)."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received or not _complete(received):
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    return int(status_line.split()[1]), _headers(header_lines), body


def _headers(lines):
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def _complete(received):
    head, _, body = received.partition(b"\r\n\r\n")
    length = _headers(head.decode("latin-1").split("\r\n")[1:]).get("content-length")
    return length is not None and len(body) >= int(length)


def request(port, method, path, *, headers=None, body=b"", timeout=10):
    """An ordinary HTTP request; returns (status, headers, body), headers an
    email.message.Message (so headers.get_all("Set-Cookie") gives every cookie)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
