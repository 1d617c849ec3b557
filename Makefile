# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint venv bench clean browser

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,postgres,redis]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/metodnet db upgrade
	$(BIN)/metodnet demo --if-empty
	# The production server (waitress, see core/serve.py) on plain http at 127.0.0.1, so
	# the session cookie may travel without TLS here; the job worker runs beside it and
	# stops with it.
	$(BIN)/metodnet worker & trap 'kill $$!' EXIT INT TERM; \
	METODNET_SESSION_COOKIE_SECURE=0 $(BIN)/metodnet serve --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian's Chromium for the real-browser test (installed once, when missing).
browser:
	bash .ci/ensure-chromium && bash .ci/ensure-axe

test: lint browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmarks' own tools: gunicorn and pyinstrument from PyPI, wrk from Debian.
$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/pip install -q -e '.[test,postgres,redis,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the HTTP benchmark is skipped"
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
