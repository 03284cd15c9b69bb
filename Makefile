# dbssim developer commands. Every tool is called from .venv explicitly: no activation needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.deps-installed

.PHONY: setup run test test-fast lint bench clean

setup: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirements or the package metadata change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(PY)
	$(PY) -m pip install -qq -r requirements-dev.txt
	$(PY) -m pip install -qq -e . --no-deps
	touch $@

run: setup
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

# pytest exits with 5 when it collects no tests: that is a failure here, say so plainly.
test: setup
	@rc=0; $(PY) -m pytest || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	exit $$rc

# The quick local loop: no browser, no slow tests. CI runs the full `make test`.
test-fast: setup
	$(PY) -m pytest -q -m "not browser and not slow"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy dbssim

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
