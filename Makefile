# Development commands. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

export DJANGO_DEBUG ?= 1

.PHONY: run test lint serve install install-dev migrate seed clean check-migrations check-content e2e bench bench-drafting

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed_course
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

test: install-dev check-migrations
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The item-writing checks over the seed course, in a throwaway SQLite database:
# prints every finding and fails when there is one.
check-content: install
	@db=$$(mktemp -d)/content.sqlite3; \
	DATABASE_URL=sqlite:///$$db $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_URL=sqlite:///$$db $(PY) manage.py load_seed_course -v0 && \
	DATABASE_URL=sqlite:///$$db $(PY) manage.py check_questions && echo "check_questions: no findings"

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production-like serving on loopback: DEBUG off, gunicorn and whitenoise behind nginx,
# which reads each request whole before gunicorn's workers see it, so slow clients
# cannot tie them up (config/serve.py, config/nginx/serve.conf.template).
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_SECRET_KEY ?= local-serve-$(shell hostname)-not-for-production
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export DJANGO_SECURE_COOKIES ?= 0
serve: migrate
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y nginx || { $$SUDO apt-get update && $$SUDO apt-get install -y nginx; }; }
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) config/serve.py --port $(PORT) -- $(VENV)/bin/gunicorn config.wsgi --workers 2 --timeout 30 --access-logfile -

# The benchmark harness: builds its own data set in a database it created itself
# (benchmarks/results/bench.sqlite3, or the database of DATABASE_URL, whose name must
# contain "bench"; one it did not create is refused untouched), serves it with
# production settings and drives every page with wrk. BENCH_ARGS="--duration 5 --rounds 3".
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y wrk || { $$SUDO apt-get update && $$SUDO apt-get install -y wrk; }; }
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Time to derive the lessons and draft the questions of each explainer in fixtures/.
bench-drafting: install
	DJANGO_DEBUG=1 $(PY) benchmarks/drafting.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache

# The production shape on loopback (deploy/run-local.sh, docs/deploy.md): nginx on
# http://127.0.0.1:8080 in front of two gunicorn instances (A on 8081, B on 8082), sharing
# PostgreSQL (database `cluster`) and Redis (database 3), DEBUG off. Run it again to
# restart whatever died; `make cluster-stop` stops it by its PID files.
.PHONY: cluster cluster-stop cluster-status bench-cluster
cluster: install
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y nginx || { $$SUDO apt-get update && $$SUDO apt-get install -y nginx; }; }
	deploy/run-local.sh start

cluster-stop:
	deploy/run-local.sh stop

cluster-status:
	deploy/run-local.sh status

# One gunicorn instance against two, each behind nginx as `make cluster` runs them, in the
# same rounds, on PostgreSQL and Redis (benchmarks/run.py --cluster). BENCH_ARGS as above.
bench-cluster: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y wrk || { $$SUDO apt-get update && $$SUDO apt-get install -y wrk; }; }
	$(PY) benchmarks/run.py --cluster $(BENCH_ARGS)
