# Guichet — the two set-up commands are `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RULES ?= $(firstword $(wildcard ../shared/spec/rules.md) docs/rules.md)
export DJANGO_SETTINGS_MODULE := guichet.settings

.PHONY: install system-packages messages run test test-fast rules bench lint clean lighthouse

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Debian packages: gettext compiles the translations, Chromium runs the browser tests, Pango lays out
# WeasyPrint's PDFs.
system-packages:
	@if ! command -v msgfmt >/dev/null || [ ! -x /usr/bin/chromium ] || ! ldconfig -p | grep -q libpangoft2-1.0; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

install: $(VENV)/.installed system-packages

messages: install
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=var

run: messages
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate -v0
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Guichet is served on http://127.0.0.1:8000 (Ctrl-C to stop)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: messages
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: messages
	$(BIN)/pytest -m "not browser and not worker" $(PYTEST_ARGS)

rules: install
	$(BIN)/python scripts/rules_coverage.py $(RULES)

bench: messages
	$(BIN)/python -m bench $(BENCH_ARGS)

# Lighthouse's accessibility score of the home page with the cookie banner open (target >= 95); npm's
# lighthouse goes to var/lighthouse (git-ignored), Chromium is Debian's. Prints LIGHTHOUSE accessibility=<score>.
lighthouse: messages
	@[ -x var/lighthouse/node_modules/.bin/lighthouse ] || npm install --no-save --no-audit --no-fund --prefix var/lighthouse lighthouse >/dev/null
	CHROME_PATH=/usr/bin/chromium $(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_PATH)

lint: install
	$(BIN)/ruff check guichet tests bench scripts

clean:
	rm -rf $(VENV) var staticfiles
