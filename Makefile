# Waardewerk: `make run` starts the app with demo data and its background-task worker, `make test` runs
# the whole test suite.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in one process per core (pytest-xdist); `make test PYTEST_ARGS=` runs it in one.
PYTEST_ARGS ?= -n auto --dist loadfile
export WAARDEWERK_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install lint messages vendor clean bench soak

$(VENV)/.installed: pyproject.toml
	@py="$$(PYTHON=$(PYTHON) scripts/find-python.sh)" && echo "Using $$py" && "$$py" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	scripts/ensure-system-packages.sh
	WAARDEWERK_DEBUG=1 $(BIN)/waardewerk migrate --no-input
	WAARDEWERK_DEBUG=1 $(BIN)/waardewerk demo
	WAARDEWERK_DEBUG=1 scripts/run.sh $(BIN) $(HOST):$(PORT)

test: $(VENV)/.installed
	scripts/ensure-chromium.sh
	scripts/ensure-system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/waardewerk makemigrations --check --dry-run --settings=waardewerk.conf.test_settings
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks (docs/performance.md): full mode at 1,000 and 100,000 clients on PostgreSQL, or QUICK=1 for
# 1,000 and 10,000 clients with fewer requests. BENCH_ARGS passes more options to bench/run.py.
bench: $(VENV)/.installed
	$(BIN)/python -m bench.run $(if $(QUICK),--quick) $(BENCH_ARGS)

# A bounded mixed load against gunicorn with two workers (default 10 minutes, loopback only): errors, p95 per
# minute and memory growth per worker (docs/operations.md, "Soak test"). SOAK_ARGS, e.g. --minutes 60.
soak: $(VENV)/.installed
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Regenerate the translation catalogues (needs GNU gettext) and compile them.
messages: $(VENV)/.installed
	cd src/waardewerk && WAARDEWERK_DEBUG=1 ../../$(BIN)/waardewerk makemessages -l nl -l en --no-location --no-obsolete --ignore "static/*"
	cd src/waardewerk && WAARDEWERK_DEBUG=1 ../../$(BIN)/waardewerk compilemessages

# Re-fetch the vendored NL Design System CSS (pinned versions; needs npm).
vendor:
	scripts/vendor-static.sh

clean:
	rm -rf $(VENV) var .pytest_cache
