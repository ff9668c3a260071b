# Two commands do everything: `make crawl` and `make test`.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: crawl test lint bench clean chromium

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Install into .venv/ and crawl sites.toml into output/.
crawl: $(STAMP)
	$(VENV)/bin/scrapy crawl news $(ARGS)

## The report's browser test needs Debian's Chromium: installed here as root, else named.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test needs Chromium at /usr/bin/chromium for tests/test_report.py:" \
	         "install it (Debian/Ubuntu: sudo apt-get install -y chromium), then run make test again" >&2; \
	    exit 1; \
	  fi; \
	fi

## Install into .venv/ and run lint + the whole test suite.
test: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(VENV)/bin/python bench/extraction.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
