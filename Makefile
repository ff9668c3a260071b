# Two commands do everything: `make crawl` and `make test`.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: crawl test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Install into .venv/ and crawl sites.toml into output/.
crawl: $(STAMP)
	$(VENV)/bin/scrapy crawl news $(ARGS)

## Install into .venv/ and run lint + the whole test suite.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(VENV)/bin/python bench/extraction.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
