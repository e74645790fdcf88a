# Every target bootstraps .venv from uv.lock on a machine that has only python3.
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_IDP_PORT ?= 8001
export DEV_IDP_PORT
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint typecheck e2e bench clean

# A server or command without ACCREG_ENV runs as production (docs/decisions/0020): the targets that
# run the system on this machine say development explicitly.
run test typecheck: export ACCREG_ENV = development

$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install -q "uv==$(UV_VERSION)"; }
	$(UV) sync --frozen --inexact --quiet
	@touch $@

# Browser libraries (Chart.js for the statistics page) from the npm registry, exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: $(VENV)/.synced node_modules/.installed
	$(PY) manage.py bootstrap
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# The task workers (one for SMS, one for exports and imports, one reading ID cards and certificates,
	@# each started again if it exits)
	@# run beside the web server and stop with it; so does the development identity provider (its
	@# own process and port) when a served province signs in by OIDC.
	$(PY) manage.py run_workers --interval 0.5 & worker=$$!; idp=; \
	if [ "$$($(PY) manage.py dev_idp_wanted)" = yes ]; then \
	  DJANGO_SETTINGS_MODULE=accreg.devidp.settings $(PY) -m django devidp_setup && \
	  { DJANGO_SETTINGS_MODULE=accreg.devidp.settings $(VENV)/bin/gunicorn accreg.devidp.wsgi \
	      --bind 127.0.0.1:$(DEV_IDP_PORT) --workers 1 --log-level warning & idp=$$!; }; \
	fi; \
	trap 'kill $$worker $$idp 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) VENV=$(VENV) deploy/serve

test: $(VENV)/.synced node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.synced
	$(VENV)/bin/mypy accreg config

clean:
	rm -rf $(VENV) .pytest_cache staticfiles node_modules
