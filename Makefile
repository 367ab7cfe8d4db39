# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: audit run test setup setup-dev system-deps system-deps-test browser-deps migrate demo worker beat bench check-deploy clean

# DEBUG on for the local run: runserver serves the admin's static files only then (production: gunicorn + whitenoise)
run: export DJANGO_DEBUG = 1
run: system-deps setup migrate demo
	@echo "kyctriage is running at http://127.0.0.1:8000/admin/  (login: admin / admin)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: system-deps-test setup-dev browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install python3.11 (and python3.11-venv) or set PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt requirements-nodeps.txt
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -r requirements-nodeps.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

system-deps:
	@PYTHON=$(PYTHON) scripts/system-deps.sh run

system-deps-test:
	@PYTHON=$(PYTHON) scripts/system-deps.sh test

# axe-core for the browser tests' accessibility check, pinned by tests/browser/package-lock.json
tests/browser/node_modules/.package-lock.json: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

browser-deps: tests/browser/node_modules/.package-lock.json

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

worker: setup
	$(VENV)/bin/celery -A kyctriage worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A kyctriage beat --loglevel=INFO

bench: setup-dev
	$(PY) bench/run_all.py

check-deploy: setup
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=kyc.example.com $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var staticfiles

audit: setup-dev
	scripts/audit.sh
