# dlcourse: `make lab` for students, `make test` for everyone else.
# Both create .venv on first use, with exactly the versions locked in requirements.txt;
# afterwards the install step is skipped unless requirements.txt or pyproject.toml changed
# (make compares the stamp file's time with them).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlcourse-installed
LOCK   := requirements.txt
# The tool that writes the lock, pinned like everything else.
PIP_TOOLS := pip-tools==7.7.0
# nbgrader runs `alembic` and `jupyter` from PATH, so every target runs with the venv first.
RUN    := PATH="$(CURDIR)/$(BIN):$$PATH" KERAS_BACKEND=torch
# The CPUs this machine lets us use (its affinity and cgroup quota, not the host's count).
JOBS   ?= $(shell $(BIN)/python -c "from dlcourse.grading.autograde import usable_cpus; print(usable_cpus())" 2>/dev/null || echo 2)
NOTEBOOKS = $(shell find lectures solutions -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: lab test site quick strip bench margin scaling lock install clean-venv sandbox-tool

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# Started from course/ so nbgrader's formgrader finds course/nbgrader_config.py and JupyterLab
# course/jupyter_server_config.py (the course's lab settings); the file browser still opens at
# the repository root. Extra options through LAB_ARGS, e.g. make lab LAB_ARGS="--port=8899 --no-browser"
# (not a second --config: JupyterLab takes one; put settings in course/jupyter_server_config.py).
lab: $(STAMP)
	cd course && $(RUN) "$(CURDIR)/$(BIN)/jupyter" lab --config="$(CURDIR)/course/jupyter_server_config.py" --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) $(LAB_ARGS)

## The whole suite: unit tests, notebook execution (nbval) and the hygiene checks; it ends
## with the 25 slowest tests, so a CI maintainer sees where the minutes go.
## Then the course website from the lectures nbval just executed (none is executed twice),
## and the tests of the site.
test: $(STAMP) sandbox-tool
	$(RUN) $(BIN)/python -m pytest -n $(JOBS) --dist loadscope --durations=25 --ignore=tests/test_site.py
	$(RUN) $(BIN)/python website/build.py --from-cache
	$(RUN) $(BIN)/python -m pytest tests/test_site.py

## The course as a static website in website/_build/html (open index.html): the lectures
## executed (myst-nb's cache in website/_build/jupyter_cache skips unchanged ones), the
## assignments as students get them, the library's API reference; README.md is the front page.
site: $(STAMP)
	$(RUN) $(BIN)/python website/build.py

## Unit tests only: seconds, for iterating on the library.
quick: $(STAMP)
	$(RUN) $(BIN)/python -m pytest tests -m "not slow"

## Time and quality of every notebook, grading throughput (also 200 submissions on a local
## Dask cluster into PostgreSQL), NumPy kernels vs torch, all checked against
## benchmarks/targets.toml; rewrites benchmarks/RESULTS.md after a full run.
## Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--only lectures/04 --repeat 3".
bench: $(STAMP)
	$(RUN) $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

## The margin run: every notebook under seed offsets 1-5 (DLCOURSE_SEED_OFFSET) and on two
## emulated CPUs (AVX2, plain x86-64), counting for each checked claim the runs it held in;
## rewrites the margin section of benchmarks/RESULTS.md (about an hour on 2 cores).
margin: $(STAMP)
	$(RUN) $(BIN)/python benchmarks/run.py --seed-offsets 5 --cpu-variants avx2,default $(BENCH_ARGS)

## Measure what grading one submission costs at each stage and estimate 1,000 students on
## 1, 10 and 50 machines; rewrites the tables of benchmarks/SCALING.md (about 5 minutes).
scaling: $(STAMP)
	$(RUN) $(BIN)/python benchmarks/scaling.py $(BENCH_ARGS)

## Strip outputs and execution counts, keeping the text output of `# NBVAL_CHECK_OUTPUT` cells.
strip: $(STAMP)
	$(RUN) $(BIN)/python tests/notebook_tools.py strip $(NOTEBOOKS)

install: $(STAMP)

# Grading's sandbox is bubblewrap (course/README.md). As root on Debian or Ubuntu it is
# installed here; elsewhere the tests that need it skip and say why (under CI they fail).
sandbox-tool:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -qq bubblewrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq bubblewrap; }; \
	  else echo "bubblewrap (bwrap) is not installed: the grading-sandbox tests will skip (install the bubblewrap package)"; fi; }

# Every package at its locked version, each file checked against its hash; then the course
# itself, built with the locked setuptools (no build environment downloaded on the side).
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --progress-bar off --quiet --require-hashes --requirement $(LOCK)
	$(BIN)/python -m pip install --progress-bar off --quiet --no-deps --no-build-isolation --editable .
	$(BIN)/python -m ipykernel install --sys-prefix --name dlcourse \
		--display-name "Python 3 (dlcourse)" --env KERAS_BACKEND torch
	@touch $(STAMP)

## Refresh the lock: the newest versions pyproject.toml allows, pinned with hashes, into
## requirements.txt, and the same pins into environment.yml. Commit both.
lock:
	@tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && "$$tools/bin/python" -m pip install --quiet $(PIP_TOOLS) && \
	"$$tools/bin/pip-compile" --quiet --upgrade --extra dev --generate-hashes --allow-unsafe --all-build-deps \
		--strip-extras --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml
	$(PYTHON) tests/lock_tools.py environment

clean-venv:
	rm -rf $(VENV)
