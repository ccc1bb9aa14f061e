# Two commands on a fresh machine: `make demo` and `make test`. `make check` is the quick loop.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package's exact version, for every platform, from pyproject.toml: `make lock` refreshes it.
LOCK := requirements.lock
# What the browser and print tests need from the system: Debian's chromium. No font package: the reports carry their
# font (Inter, lib/aicto/present/assets/fonts) and the print tests print with no font of the machine's.
SYSTEM_PACKAGES := chromium

.PHONY: demo test check lint lab clean bench git-filter lock system schema corpus plotlyjs fonts

# The venv installs the lock, then aicto itself without resolving anything: a fresh machine next month gets the
# versions the tests ran with. The Jupyter config switches on the guard that keeps client data out of notebooks/.
$(STAMP): $(LOCK) pyproject.toml jupyter-config/jupyter_server_config.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
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
	$(BIN)/python bench/cli_start.py
	$(BIN)/python bench/practice.py
	$(BIN)/python bench/import_usage.py
	$(BIN)/python bench/consultant_browser.py

# The whole suite: kernels, JupyterLab and headless Chromium included. It sets the machine up first (`system`).
test: system $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench tools
	$(BIN)/python -m pytest

# The quick loop for changes that start no kernel and no browser: lint, unit and functional tests.
check: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench tools
	$(BIN)/python -m pytest tests/unit tests/functional -q -m "not slow and not browser"

# The story's rules on a larger generated corpus than make test's 200 clients: `make corpus N=2000`.
N ?= 2000
corpus: $(STAMP)
	STORY_CORPUS=$(N) $(BIN)/python -m pytest tests/story -q

# Installs $(SYSTEM_PACKAGES) where it can (root, or sudo without a password, on Debian or Ubuntu); elsewhere it
# stops and names the one command to run, so no browser test is ever skipped. CHROMIUM=/path names another browser.
system:
	@missing=""; \
	if [ -z "$$CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then missing=" chromium"; fi; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi; \
	if [ "$$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make test needs:$$missing. Run: sudo apt-get install -y --no-install-recommends$$missing" >&2; \
	  echo "(not Debian: install Chromium, then CHROMIUM=/path/to/chromium make test)" >&2; \
	  exit 2; fi; \
	echo "installing$$missing (apt-get)"; \
	$$sudo apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing

# The plotly.js the reports embed (lib/aicto/present/assets/): plotly.js core and the charts' trace types, from the
# npm versions pinned in tools/plotlyjs/package-lock.json (needs node and npm; same inputs, same bytes). Run it after
# adding a trace type to tools/plotlyjs/build.mjs, or after plotly.py moves to another plotly.js, and commit the assets.
plotlyjs:
	cd tools/plotlyjs && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs

# The font the reports embed (lib/aicto/present/assets/fonts/): Inter from the npm version pinned in
# tools/fonts/package-lock.json, subset to WOFF2 by fonttools (a dev package). Same inputs, same bytes.
fonts: $(STAMP)
	cd tools/fonts && npm ci --ignore-scripts --no-audit --no-fund && ../../$(BIN)/python build.py

# Re-resolves every package from pyproject.toml (PyPI) for Python 3.11 on every platform, with uv (a dev package).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra dask --universal --python-version 3.11 \
	  --no-header --quiet -o $(LOCK)

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks bench tools

# The profile's JSON Schema (editors read it through each profile's first line) and the reference made from it: run
# after changing the profile's models or the playbook's ids; a test fails while either file is out of date.
schema: $(STAMP)
	$(BIN)/aicto schema --out playbook/profile.schema.json --reference docs/profile-reference.md

# `make lab CLIENT=acme`: the client's working notebooks in lab/acme/ (see `aicto lab`); an id without a profile
# starts a new client, blank or, with FROM=another-client, from its figures. Without CLIENT: the
# templates; the venv's kernel and widget extension win over any user-level ones; root (containers) needs --allow-root.
lab: $(STAMP)
ifneq ($(CLIENT),)
	$(BIN)/aicto lab $(if $(FROM),--from '$(FROM)') '$(CLIENT)'
else
	cd notebooks && JUPYTER_PREFER_ENV_PATH=1 JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config \
	  ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)
endif

clean:
	rm -rf $(VENV) reports build lib/*.egg-info
