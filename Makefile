# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLES := $(wildcard parameters/examples/*.yaml)

.PHONY: demo test lint lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/aicto run $(EXAMPLES) --out reports

test: $(STAMP)
	$(BIN)/ruff check lib tests notebooks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab

clean:
	rm -rf $(VENV) reports build lib/*.egg-info
