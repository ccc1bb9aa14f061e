# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lab clean bench git-filter schema

# The Jupyter config switches on the guard that keeps client data out of notebooks/ for any JupyterLab of the venv.
$(STAMP): pyproject.toml jupyter-config/jupyter_server_config.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	mkdir -p $(VENV)/etc/jupyter
	cp jupyter-config/jupyter_server_config.json $(VENV)/etc/jupyter/
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

# nbstripout as git's clean filter for notebooks/ (see .gitattributes): whatever saved a template, its outputs and
# widget state never reach a commit. The path is relative: git runs filters from the top of the worktree.
git-filter:
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(BIN)/python -m nbstripout --keep-id' && \
	  git config filter.nbstripout.smudge cat; fi

demo: $(STAMP)
	$(BIN)/aicto batch parameters/examples --out reports

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/import_usage.py
	$(BIN)/python bench/consultant_browser.py

test: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench

# The profile's JSON Schema (editors read it through each profile's first line) and the reference made from it: run
# after changing the profile's models or the playbook's ids; a test fails while either file is out of date.
schema: $(STAMP)
	$(BIN)/aicto schema --out playbook/profile.schema.json --reference docs/profile-reference.md

# `make lab CLIENT=acme`: the client's working notebooks in lab/acme/ (see `aicto lab`). Without CLIENT: the
# templates; the venv's kernel and widget extension win over any user-level ones; root (containers) needs --allow-root.
lab: $(STAMP)
ifneq ($(CLIENT),)
	$(BIN)/aicto lab '$(CLIENT)'
else
	cd notebooks && JUPYTER_PREFER_ENV_PATH=1 JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config \
	  ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)
endif

clean:
	rm -rf $(VENV) reports build lib/*.egg-info
