# Set-up and entry points. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
export SSL_CERT_FILE ?= /etc/ssl/certs/ca-certificates.crt
export UV_COMPILE_BYTECODE := 1
export DAGSTER_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
HOME_DIR ?= .readiness

.PHONY: install demo test dev lint bench clean chromium postgres

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras
	@touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); }

# PostgreSQL, for the test that runs the same pipeline on a real server.
postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the PostgreSQL test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql); }

demo: install
	$(VENV)/bin/readiness demo --home $(HOME_DIR)

test: install chromium postgres
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadfile --durations=15

dev: install
	$(VENV)/bin/readiness dev --home $(HOME_DIR)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install chromium
	$(VENV)/bin/python -m benchmarks.run

clean:
	rm -rf $(HOME_DIR) dbt_project/target dbt_project/logs
