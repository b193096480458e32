"""The fiddly parts of deploy/run-local.sh, in Python: it runs them as

    python deploy/run_local.py database URL       create the database when missing
    python deploy/run_local.py redis URL          exit 1 when Redis does not answer
    python deploy/run_local.py port-free PORT     exit 1 when 127.0.0.1:PORT is taken
    python deploy/run_local.py healthy PORT [PORT...] --pid FILE... --wait SECONDS
    python deploy/run_local.py nginx-config TEMPLATE OUT --run-dir D --port P --upstream P...

Only the standard library and the project's own dependencies (psycopg, redis), so
that it runs from the project's .venv with nothing else installed.
"""

import argparse
import http.client
import os
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def ensure_database(url):
    """Create the PostgreSQL database of url when it is missing; never 'test' (the test
    suite's) and never a database other than PostgreSQL."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit(f"Error: the cluster runs on PostgreSQL (postgres://USER@HOST:PORT/NAME): {url}")
    if name in ("test", "postgres", "template0", "template1"):
        sys.exit(f"Error: the cluster does not use the database {name!r}: name one of its own.")
    admin = parts._replace(path="/postgres").geturl()
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        sys.exit(f"Error: PostgreSQL does not answer at {parts.hostname}:{parts.port}: {error}")
    with conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the PostgreSQL database {name}.")


def redis_answers(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def port_free(port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def health(port, timeout=2):
    """The status of GET /healthz on 127.0.0.1:port, None when nothing answers."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", "/healthz", headers={"Host": f"{HOST}:{port}"})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


def alive(pid_file):
    try:
        pid = int(Path(pid_file).read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def wait_healthy(ports, pid_files, seconds):
    """Wait until every port answers /healthz with 200; give up early when one of the
    processes has died (a gunicorn that could not boot exits)."""
    deadline = time.monotonic() + seconds
    waiting = list(ports)
    # A daemon writes its PID file a moment after it starts: allow it that long.
    grace = time.monotonic() + 5
    while waiting and time.monotonic() < deadline:
        waiting = [port for port in waiting if health(port) != 200]
        if not waiting:
            break
        dead = [f for f in pid_files if not alive(f)]
        if dead and time.monotonic() > grace:
            print(f"Error: not running: {', '.join(dead)}", file=sys.stderr)
            return False
        time.sleep(0.2)
    if waiting:
        print(f"Error: no 200 from /healthz on ports {waiting} in {seconds} s", file=sys.stderr)
    return not waiting


def nginx_config(template, *, run_dir, port, upstream, max_body, access_log):
    servers = "\n".join(
        # A refused connection marks an instance down for 10 s: meanwhile nginx sends
        # everything to the others instead of trying it first every time.
        f"        server {HOST}:{p} max_fails=1 fail_timeout=10s;"
        for p in upstream
    )
    values = {
        "@RUN_DIR@": str(run_dir),
        "@PORT@": str(port),
        "@UPSTREAM_SERVERS@": servers.lstrip(),
        "@MAX_BODY@": str(max_body),
        "@ACCESS_LOG@": f"{run_dir}/nginx-access.log upstream" if access_log else "off",
    }
    text = Path(template).read_text()
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def max_body():
    """A little above the site's own limit, as `make serve` sets it (config/serve.py)."""
    sys.path.insert(0, str(ROOT))
    from config.serve import max_request_bytes

    return max_request_bytes() + 1024 * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("database").add_argument("url")
    commands.add_parser("redis").add_argument("url")
    commands.add_parser("port-free").add_argument("port", type=int)
    healthy = commands.add_parser("healthy")
    healthy.add_argument("ports", type=int, nargs="+")
    healthy.add_argument("--pid", action="append", default=[])
    healthy.add_argument("--wait", type=float, default=60)
    config = commands.add_parser("nginx-config")
    config.add_argument("template")
    config.add_argument("out")
    config.add_argument("--run-dir", required=True)
    config.add_argument("--port", type=int, required=True)
    config.add_argument("--upstream", type=int, nargs="+", required=True)
    config.add_argument("--access-log", type=int, choices=[0, 1], default=1)
    args = parser.parse_args()

    if args.command == "database":
        ensure_database(args.url)
    elif args.command == "redis":
        return 0 if redis_answers(args.url) else 1
    elif args.command == "port-free":
        return 0 if port_free(args.port) else 1
    elif args.command == "healthy":
        return 0 if wait_healthy(args.ports, args.pid, args.wait) else 1
    elif args.command == "nginx-config":
        text = nginx_config(
            args.template,
            run_dir=args.run_dir,
            port=args.port,
            upstream=args.upstream,
            max_body=max_body(),
            access_log=args.access_log,
        )
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
