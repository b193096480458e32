"""Serving the app as in production: gunicorn with sync workers on 127.0.0.1 and a
free port, one request to it at a time, the workers' memory read from /proc, and the
project's Python scripts (manage.py, build_data.py) run beside it."""

import http.client
import re
import subprocess
import sys
import time
from pathlib import Path

from django_setup import HOST, ROOT

from config.serve import free_port, stop

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

NICE = []  # ["nice", "-n", "-5"] with --nice -5: server and wrk ahead of other processes


def prioritise(pid):
    """With --nice: also the process's scheduler autogroup (a session of its own), since
    with autogroups a nice value only counts inside its own session."""
    if NICE:
        try:
            Path(f"/proc/{pid}/autogroup").write_text(NICE[-1])
        except OSError:
            pass


def request(port, method, path, *, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def python(*args, cwd=ROOT, env=None):
    """Run a Python script of the project with this environment (or env); when it fails,
    exit with its status, its own message said."""
    done = subprocess.run([PYTHON, *map(str, args)], cwd=cwd, env=env)
    if done.returncode:
        sys.exit(done.returncode)


def manage(*args, cwd=ROOT, env=None):
    python("manage.py", *args, cwd=cwd, env=env)


class Server:
    def __init__(self, env, workers, log_path, cwd=ROOT):
        self.port = free_port()
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                *NICE,
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=bool(NICE),
        )
        prioritise(self.process.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode}; see {log_path}")
            try:
                response, _ = request(self.port, "GET", "/healthz")
                if response.status == 200 and len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer on port {self.port}; see {log_path}")

    def workers(self):
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            children = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    children.append(int(stat.parent.name))
            return children

    def reset_peaks(self):
        for pid in self.workers():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
            except OSError:
                pass

    def memory_mb(self, field):
        """The largest value of a /proc/<pid>/status field among the workers, in MB."""
        values = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(rf"{field}:\s+(\d+) kB", status)
            if match:
                values.append(int(match.group(1)) / 1024)
        return max(values, default=None)

    def stop(self):
        stop(self.process)
        self.log.close()
