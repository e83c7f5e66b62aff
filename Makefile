# dlcourse: `make lab` for students, `make test` for everyone else.
# Both create .venv on first use; afterwards the install step is skipped unless
# pyproject.toml changed (make compares the stamp file's time with it).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlcourse-installed
# nbgrader runs `alembic` and `jupyter` from PATH, so every target runs with the venv first.
RUN    := PATH="$(CURDIR)/$(BIN):$$PATH" KERAS_BACKEND=torch
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
NOTEBOOKS = $(shell find lectures solutions -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: lab test quick strip bench install clean-venv

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# Started from course/ so nbgrader's formgrader finds course/nbgrader_config.py;
# the file browser still opens at the repository root.
lab: $(STAMP)
	cd course && $(RUN) "$(CURDIR)/$(BIN)/jupyter" lab --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT)

## The whole suite: unit tests, notebook execution (nbval) and the hygiene checks.
test: $(STAMP)
	$(RUN) $(BIN)/python -m pytest -n $(JOBS) --dist loadscope

## Unit tests only: seconds, for iterating on the library.
quick: $(STAMP)
	$(RUN) $(BIN)/python -m pytest tests -m "not slow"

## Time and quality of every notebook, grading throughput, NumPy kernels vs torch, all
## checked against benchmarks/targets.toml; rewrites benchmarks/RESULTS.md after a full run.
## Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--only lectures/04 --repeat 3".
bench: $(STAMP)
	$(RUN) $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

## Strip outputs and execution counts, keeping the text output of `# NBVAL_CHECK_OUTPUT` cells.
strip: $(STAMP)
	$(RUN) $(BIN)/python tests/notebook_tools.py strip $(NOTEBOOKS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --progress-bar off --quiet --editable '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name dlcourse \
		--display-name "Python 3 (dlcourse)" --env KERAS_BACKEND torch
	@touch $(STAMP)

clean-venv:
	rm -rf $(VENV)
