"""Serving the app as in production: gunicorn with sync workers on 127.0.0.1 and a
free port (Server), or deploy/run-local.sh's nginx in front of one or two gunicorn
instances (Cluster, for --cluster); one request to it at a time, the workers' memory read
from /proc, and the project's Python scripts (manage.py, build_data.py) run beside it."""

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
RUN_LOCAL = ROOT / "deploy" / "run-local.sh"

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


def children(pid):
    """The PIDs of a process's children (gunicorn's or nginx's workers)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found


class Workers:
    """The gunicorn workers' memory, for a server that says which its workers are."""

    def workers(self):
        raise NotImplementedError

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


class Server(Workers):
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
        return children(self.process.pid)

    def pids(self):
        """The processes whose CPU time serves the requests."""
        return [self.process.pid, *self.workers()]

    def stop(self):
        stop(self.process)
        self.log.close()


class Cluster(Workers):
    """What `make cluster` runs (deploy/run-local.sh): nginx on a free port in front of
    `instances` gunicorn instances of `workers` sync workers each, on the database and
    Redis of env, from a run directory of its own. The data, static files and secret key
    are the harness's (CLUSTER_SETUP=0: nothing migrated or loaded); no access logs."""

    def __init__(self, env, instances, workers, run_dir, static_root):
        self.run_dir = Path(run_dir)
        self.port = free_port()
        self.env = {
            **env,
            "CLUSTER_RUN_DIR": str(self.run_dir),
            "CLUSTER_PORT": str(self.port),
            "CLUSTER_PORT_A": str(free_port()),
            "CLUSTER_PORT_B": str(free_port()),
            "CLUSTER_INSTANCES": str(instances),
            "CLUSTER_WORKERS": str(workers),
            "CLUSTER_DATABASE_URL": env["DATABASE_URL"],
            "CLUSTER_REDIS_URL": env["REDIS_URL"],
            "CLUSTER_SETUP": "0",
            "CLUSTER_ACCESS_LOG": "0",
            "DJANGO_STATIC_ROOT": str(static_root),
        }
        self.names = ["a", "b"][:instances]
        self.worker_count = instances * workers
        done = self._script("start")
        if done.returncode:
            self.stop()
            sys.exit(f"deploy/run-local.sh start failed:\n{done.stdout}\n{done.stderr}")
        deadline = time.monotonic() + 30
        while len(self.workers()) < self.worker_count and time.monotonic() < deadline:
            time.sleep(0.2)

    def _script(self, command):
        return subprocess.run(
            [str(RUN_LOCAL), command], env=self.env, capture_output=True, text=True, timeout=180
        )

    def _pid(self, name):
        try:
            return int((self.run_dir / f"{name}.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def masters(self):
        return [pid for pid in map(self._pid, self.names) if pid]

    def workers(self):
        return [worker for master in self.masters() for worker in children(master)]

    def pids(self):
        """gunicorn's masters and workers, and nginx's: the whole stack serves a request."""
        nginx = self._pid("nginx")
        proxies = [nginx, *children(nginx)] if nginx else []
        return [*self.masters(), *self.workers(), *proxies]

    def stop(self):
        done = self._script("stop")
        if done.returncode:
            print(
                f"deploy/run-local.sh stop failed:\n{done.stdout}\n{done.stderr}", file=sys.stderr
            )
