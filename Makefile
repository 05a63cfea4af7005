# Two commands on a fresh clone: `make reports` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup reports test lint typecheck browser bench clean lab

setup: $(STAMP)

# Re-install only when the project's dependencies change. pip's output goes to a log that is
# printed only if the install fails, so the first command's own output is not buried.
PIPLOG := $(VENV)/pip-install.log
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing tariff-reports and its dependencies into $(VENV) (log: $(PIPLOG))"
	@$(BIN)/python -m pip install --quiet --upgrade pip > $(PIPLOG) 2>&1 \
	  || { cat $(PIPLOG); echo "error: pip could not upgrade itself (log above)"; exit 1; }
	@$(BIN)/python -m pip install --quiet -e '.[dev]' >> $(PIPLOG) 2>&1 \
	  || { cat $(PIPLOG); echo "error: pip could not install the project (log above)"; exit 1; }
	@touch $(STAMP)

reports: setup
	$(BIN)/tariff-reports build

lint: setup
	$(BIN)/ruff check analysis tests benchmarks notebooks data_build
	$(BIN)/ruff format --check analysis tests benchmarks notebooks data_build
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy analysis

# Debian's Chromium for the offline browser test; the test skips with a reason without it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium missing and cannot be installed here; browser tests will be skipped"; fi; }

test: setup browser lint typecheck
	$(BIN)/python -m pytest

# JupyterLab on notebooks/: the .py files open as notebooks (jupytext, see pyproject.toml).
# The override makes a double-click on a .py open it as a notebook (Jupytext Notebook viewer).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
lab: setup
	mkdir -p $(LAB_SETTINGS)
	printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(LAB_SETTINGS)/overrides.json
	$(BIN)/jupyter lab notebooks

bench: setup
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_scenarios.py
	$(BIN)/python benchmarks/profile_build.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_dask.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
