#!/usr/bin/env bash
# The production shape on one machine, all on loopback: nginx in front of two gunicorn
# instances (A and B), sharing PostgreSQL and Redis, with DEBUG off.
#
#   deploy/run-local.sh start     migrate, collect static files, load the seed course,
#                                 start what is not running, wait for /healthz, print the URL
#   deploy/run-local.sh stop      stop nginx, then A and B, by their PID files
#   deploy/run-local.sh status    what runs; exit 0 when all of it does, 3 otherwise
#
# `make cluster` and `make cluster-stop` call it. Start is idempotent: what already runs
# is left alone, and only what is missing (an instance that crashed) is started again.
# Stop only signals the PIDs in its own PID files, after checking that each still belongs
# to the process it started; stopping a stopped cluster does nothing.
#
# Environment (defaults in brackets):
#   CLUSTER_RUN_DIR        PID files, logs, nginx config, secret key [deploy/run]
#   CLUSTER_PORT           nginx, the front door [8080]
#   CLUSTER_PORT_A/_B      the two gunicorn instances [8081, 8082]
#   CLUSTER_INSTANCES      1 (A only) or 2 [2]
#   CLUSTER_WORKERS        gunicorn sync workers per instance [2]
#   CLUSTER_DATABASE_URL   PostgreSQL, created when missing [postgres://postgres@127.0.0.1:5432/cluster]
#   CLUSTER_REDIS_URL      Redis, a database number of its own [redis://127.0.0.1:6379/3]
#   CLUSTER_SETUP          0 skips migrate, collectstatic and the seed course [1]
#   CLUSTER_DEMO           1 also makes the demo accounts (seed_demo --force) [0]
#   CLUSTER_ACCESS_LOG     0 turns off the access logs of nginx and gunicorn [1]
#   CLUSTER_WAIT           seconds to wait for /healthz [60]
#   DJANGO_SECRET_KEY      shared by A and B; otherwise one is made and kept in the run dir
#   DJANGO_STATIC_ROOT     [the run dir's static/]
# Other DJANGO_* variables in the environment reach the instances as they are, except
# those the script sets (DEBUG, hosts, proxy and HTTPS switches, database, Redis).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PY="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"
HELPER="$ROOT/deploy/run_local.py"
TEMPLATE="$ROOT/deploy/nginx-cluster.conf.template"

RUN_DIR="${CLUSTER_RUN_DIR:-$ROOT/deploy/run}"
PORT="${CLUSTER_PORT:-8080}"
PORT_A="${CLUSTER_PORT_A:-8081}"
PORT_B="${CLUSTER_PORT_B:-8082}"
INSTANCES="${CLUSTER_INSTANCES:-2}"
WORKERS="${CLUSTER_WORKERS:-2}"
DB_URL="${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cluster}"
REDIS="${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/3}"
ACCESS_LOG="${CLUSTER_ACCESS_LOG:-1}"
WAIT="${CLUSTER_WAIT:-60}"

say() { printf '%s\n' "$*"; }
fail() { printf 'Error: %s\n' "$*" >&2; exit 1; }

case "$INSTANCES" in
  1) NAMES=(a) ;;
  2) NAMES=(a b) ;;
  *) fail "CLUSTER_INSTANCES=$INSTANCES: write 1 or 2." ;;
esac

port_of() { if [ "$1" = a ]; then echo "$PORT_A"; else echo "$PORT_B"; fi; }
label_of() { echo "$1" | tr '[:lower:]' '[:upper:]'; }

find_nginx() {
  if [ -n "${NGINX:-}" ]; then echo "$NGINX"
  elif command -v nginx >/dev/null 2>&1; then command -v nginx
  else echo /usr/sbin/nginx
  fi
}

# The PID in a PID file when that process is alive and is still the one this script
# started (its command line names this run's files), so that a PID the system has since
# given to another process is never signalled.
live_pid() {
  local file="$1" marker="$2" pid cmdline
  [ -s "$file" ] || return 1
  pid="$(head -n1 "$file" | tr -dc '0-9')"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  case "$cmdline" in *"$marker"*) echo "$pid" ;; *) return 1 ;; esac
}

gunicorn_pid() { live_pid "$RUN_DIR/$1.pid" "$RUN_DIR/$1.pid"; }
nginx_pid() { live_pid "$RUN_DIR/nginx.pid" "$RUN_DIR/nginx.conf"; }

# One `start` or `stop` at a time per run directory.
lock() {
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/.lock"
    flock -w 120 9 || fail "another run-local.sh holds $RUN_DIR/.lock"
  fi
}

cluster_env() {
  # The settings of every instance and every manage.py command: production, on loopback.
  export DJANGO_SETTINGS_MODULE=config.settings
  export DJANGO_DEBUG=0
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  # Plain HTTP on loopback: no HTTPS redirect, cookies not Secure (as `make serve`).
  export DJANGO_SECURE_SSL_REDIRECT=0
  export DJANGO_SECURE_COOKIES=0
  # Reached through nginx, which sets X-Forwarded-For and -Proto: believed from it only.
  export DJANGO_BEHIND_PROXY=1
  export DJANGO_TRUSTED_PROXIES=127.0.0.1
  export DATABASE_URL="$DB_URL"
  export REDIS_URL="$REDIS"
  export DJANGO_STATIC_ROOT="${DJANGO_STATIC_ROOT:-$RUN_DIR/static}"
  if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
    # Made once and kept: A and B must share it (sessions, CSRF), and a restart keeps
    # everyone signed in.
    if [ ! -s "$RUN_DIR/secret_key" ]; then
      (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$RUN_DIR/secret_key")
    fi
    DJANGO_SECRET_KEY="$(cat "$RUN_DIR/secret_key")"
  fi
  export DJANGO_SECRET_KEY
}

setup() {
  "$PY" "$HELPER" database "$DB_URL"
  if ! "$PY" "$HELPER" redis "$REDIS"; then
    say "Warning: Redis does not answer at $REDIS: the instances run without a cache, and" \
      "sessions come from PostgreSQL alone, until it does."
  fi
  say "Migrating, collecting static files, loading the seed course..."
  "$PY" manage.py migrate --noinput --verbosity 0
  "$PY" manage.py collectstatic --noinput --verbosity 0
  "$PY" manage.py load_seed_course --verbosity 0
  if [ "${CLUSTER_DEMO:-0}" = 1 ]; then
    "$PY" manage.py seed_demo --force
  fi
}

start_instance() {
  local name="$1" port pid pid_file log_args=()
  port="$(port_of "$name")"
  pid_file="$RUN_DIR/$name.pid"
  if pid="$(gunicorn_pid "$name")"; then
    say "Instance $(label_of "$name") already runs (PID $pid, port $port)."
    return
  fi
  rm -f "$pid_file"
  "$PY" "$HELPER" port-free "$port" || fail "port $port (instance $(label_of "$name")) is taken."
  if [ "$ACCESS_LOG" = 1 ]; then
    log_args=(--access-logfile "$RUN_DIR/$name-access.log")
  fi
  # Recent gunicorn opens a control socket, by default at one path for all instances
  # of a user: each instance would take it from the one before.
  case "$("$GUNICORN" --help 2>/dev/null || true)" in
    *--no-control-socket*) log_args+=(--no-control-socket) ;;
  esac
  # --daemon: gunicorn detaches into a session of its own and writes its PID file;
  # --capture-output: Django's log lines (stderr) go to the error log, not /dev/null.
  "$GUNICORN" config.wsgi \
    --chdir "$ROOT" \
    --bind "127.0.0.1:$port" \
    --workers "$WORKERS" \
    --timeout 30 \
    --graceful-timeout 20 \
    --pid "$pid_file" \
    --error-logfile "$RUN_DIR/$name.log" \
    --capture-output \
    "${log_args[@]}" \
    --daemon 9>&-  # the daemon must not hold the lock
  STARTED+=("$name")
}

start_nginx() {
  local nginx pid upstream=()
  nginx="$(find_nginx)"
  [ -x "$nginx" ] || fail "nginx not found: apt-get install -y nginx, or set NGINX=/path/to/nginx."
  for name in "${NAMES[@]}"; do upstream+=("$(port_of "$name")"); done
  mkdir -p "$RUN_DIR/nginx-temp"
  "$PY" "$HELPER" nginx-config "$TEMPLATE" "$RUN_DIR/nginx.conf" --run-dir "$RUN_DIR" \
    --port "$PORT" --upstream "${upstream[@]}" --access-log "$ACCESS_LOG"
  if pid="$(nginx_pid)"; then
    # Already running: it rereads the config (the instances may have changed).
    "$nginx" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -t -q
    kill -HUP "$pid"
    say "nginx already runs (PID $pid, port $PORT): config reloaded."
    return
  fi
  rm -f "$RUN_DIR/nginx.pid"
  "$PY" "$HELPER" port-free "$PORT" || fail "port $PORT (nginx) is taken."
  "$nginx" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" 9>&-
  STARTED+=(nginx)
}

show_log() {
  local file="$RUN_DIR/$1"
  if [ -s "$file" ]; then
    printf '\n--- last lines of %s ---\n' "$file" >&2
    tail -n 25 "$file" >&2
  fi
}

do_start() {
  [ -x "$PY" ] && [ -x "$GUNICORN" ] || fail "no .venv with gunicorn: run \`make install\` first."
  lock
  # Started as root, nginx's workers run as nobody: they must reach the run directory.
  chmod 755 "$RUN_DIR"
  cluster_env
  if [ "${CLUSTER_SETUP:-1}" != 0 ]; then setup; fi
  STARTED=()
  for name in "${NAMES[@]}"; do start_instance "$name"; done
  start_nginx
  local ports=() pids=()
  for name in "${NAMES[@]}"; do
    ports+=("$(port_of "$name")")
    pids+=(--pid "$RUN_DIR/$name.pid")
  done
  if ! "$PY" "$HELPER" healthy "${ports[@]}" "$PORT" "${pids[@]}" --pid "$RUN_DIR/nginx.pid" \
    --wait "$WAIT"; then
    for name in "${NAMES[@]}"; do show_log "$name.log"; done
    show_log nginx-error.log
    fail "the cluster did not come up; deploy/run-local.sh stop cleans up."
  fi
  if [ "${#STARTED[@]}" -gt 0 ]; then say "Started: ${STARTED[*]}."; fi
  for name in "${NAMES[@]}"; do
    say "  instance $(label_of "$name"): http://127.0.0.1:$(port_of "$name")/ (PID $(gunicorn_pid "$name"))"
  done
  say "  nginx:      http://127.0.0.1:$PORT/ (PID $(nginx_pid))"
  say "  logs:       $RUN_DIR"
  say "Serving on http://127.0.0.1:$PORT/"
}

# Signal a PID, wait up to $3 seconds for it to go, then kill its process group: both
# daemons detach into a session of their own (setsid), so the group holds the master
# and its workers, and nothing else.
stop_pid() {
  local pid="$1" signal="$2" seconds="$3" what="$4" group
  group="$(ps -o pgid= -p "$pid" | tr -dc '0-9')"
  # Never this script's own group (a daemon that did not detach shares it).
  if [ "$group" = "$(ps -o pgid= -p $$ | tr -dc '0-9')" ]; then group=""; fi
  kill "-$signal" "$pid" 2>/dev/null || return 0
  for _ in $(seq $((seconds * 10))); do
    kill -0 "$pid" 2>/dev/null || { say "Stopped $what (PID $pid)."; return 0; }
    sleep 0.1
  done
  say "Warning: $what (PID $pid) did not stop within $seconds s: killed."
  if [ -n "$group" ]; then kill -KILL -- "-$group" 2>/dev/null || true; fi
  kill -KILL "$pid" 2>/dev/null || true
}

do_stop() {
  lock
  local pid
  # nginx first, so that no request reaches an instance that is stopping.
  if pid="$(nginx_pid)"; then stop_pid "$pid" TERM 10 nginx; fi
  rm -f "$RUN_DIR/nginx.pid"
  # Both instances, B included when CLUSTER_INSTANCES=1 now: whatever this run dir started.
  for name in a b; do
    # TERM: gunicorn finishes the requests in hand (--graceful-timeout 20), then exits.
    if pid="$(gunicorn_pid "$name")"; then stop_pid "$pid" TERM 25 "instance $(label_of "$name")"; fi
    rm -f "$RUN_DIR/$name.pid"
  done
  say "The cluster in $RUN_DIR is stopped."
}

do_status() {
  local down=0 pid
  for name in "${NAMES[@]}"; do
    if pid="$(gunicorn_pid "$name")"; then
      say "instance $(label_of "$name"): running, PID $pid, http://127.0.0.1:$(port_of "$name")/"
    else
      say "instance $(label_of "$name"): not running"
      down=1
    fi
  done
  if pid="$(nginx_pid)"; then
    say "nginx:      running, PID $pid, http://127.0.0.1:$PORT/"
  else
    say "nginx:      not running"
    down=1
  fi
  return $((down * 3))
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) say "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
