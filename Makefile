# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lab clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/aicto batch parameters/examples --out reports

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/import_usage.py

test: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench

# The venv's kernel and widget extension win over any user-level ones; root (containers) needs --allow-root.
lab: $(STAMP)
	cd notebooks && JUPYTER_PREFER_ENV_PATH=1 ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) reports build lib/*.egg-info
