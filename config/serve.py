"""`make serve`: nginx on 127.0.0.1:PORT in front of an app server command.

    python config/serve.py --port 8000 -- gunicorn config.wsgi --workers 2

The command gets `--bind 127.0.0.1:<a free port>` added; nginx, from
config/nginx/serve.conf.template, runs in the foreground from a temporary directory
(no system files, no root needed) and passes it only whole requests, so slow
clients cannot tie up gunicorn's workers. Ctrl-C or SIGTERM stops both.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "config" / "nginx" / "serve.conf.template"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(*processes, timeout=20):
    """Ask each process to stop, then wait; one that does not stop in time is killed."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def max_request_bytes():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    return settings.MAX_REQUEST_BYTES


def nginx_config(run_dir, port, app_port):
    values = {
        "@RUN_DIR@": str(run_dir),
        "@PORT@": str(port),
        "@APP_PORT@": str(app_port),
        "@MAX_BODY@": str(max_request_bytes() + 1024 * 1024),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the app server command")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the app server command after --")
    nginx = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("Error: nginx not found: `apt-get install -y nginx`, or set NGINX=/path/to/nginx.")

    with tempfile.TemporaryDirectory(prefix="serve-") as run_dir:
        # Started as root, nginx's worker runs as nobody: it must reach the temp dirs.
        os.chmod(run_dir, 0o755)
        app_port = free_port()
        config = Path(run_dir) / "nginx.conf"
        config.write_text(nginx_config(run_dir, args.port, app_port))
        env = dict(os.environ)
        env.setdefault("DJANGO_TRUSTED_PROXIES", "127.0.0.1")  # nginx, and only nginx
        app = subprocess.Popen([*command, "--bind", f"127.0.0.1:{app_port}"], env=env)
        web = subprocess.Popen(
            [nginx, "-p", run_dir, "-e", "stderr", "-c", str(config), "-g", "daemon off;"]
        )
        print(f"Serving on http://127.0.0.1:{args.port}/ (nginx -> {command[0]})", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while app.poll() is None and web.poll() is None:
                time.sleep(0.5)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            stop(web, app)
    return app.returncode or web.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
