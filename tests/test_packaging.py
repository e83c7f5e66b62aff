"""The install routes and the entry points must agree: pyproject.toml says what the course
needs, requirements.txt (the lock, written by `make lock`) pins every package with hashes,
environment.yml pins the same versions for conda, and README, Makefile and .ci/run agree."""
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

import lock_tools

REPO = Path(__file__).resolve().parent.parent


def _pyproject_requirements():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def _lock_text():
    return (REPO / "requirements.txt").read_text()


def _lock():
    return lock_tools.read_pins(_lock_text())


def _environment():
    return yaml.safe_load((REPO / "environment.yml").read_text())


def _environment_pip_section():
    (pip_section,) = [d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict)]
    return pip_section


def test_lock_pins_every_package_to_one_version_with_hashes():
    # a requirement starts at column 0; its hashes and comments follow on indented lines
    blocks = re.findall(r"^([A-Za-z0-9]\S*)(.*(?:\n[ \t]+.*)*)", _lock_text(), re.M)
    assert len(blocks) == len(_lock()) > 50
    unpinned = [name for name, rest in blocks if "==" not in name or "--hash=sha256:" not in rest]
    assert not unpinned, f"requirements.txt has entries without an exact version and a hash: {unpinned}"


def test_lock_satisfies_every_requirement_of_pyproject():
    lock = _lock()
    missing = [str(r) for r in _pyproject_requirements() if lock_tools.normalise(r.name) not in lock]
    assert not missing, f"pyproject.toml asks for packages the lock does not pin (run `make lock`): {missing}"
    outside = {str(r): lock[lock_tools.normalise(r.name)] for r in _pyproject_requirements()
               if not r.specifier.contains(Version(lock[lock_tools.normalise(r.name)]), prereleases=True)}
    assert not outside, f"locked versions outside pyproject.toml's ranges (run `make lock`): {outside}"


def test_lock_holds_the_build_tools_so_the_editable_install_downloads_nothing():
    build = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    assert {lock_tools.normalise(Requirement(r).name) for r in build} <= set(_lock())


def test_environment_yml_pins_exactly_the_locked_versions():
    section = _environment_pip_section()
    assert lock_tools.read_pins("\n".join(section)) == _lock(), "environment.yml is stale: run `make lock`"
    assert section[-1] == "--editable .[dev]"
    assert (REPO / "environment.yml").read_text() == lock_tools.environment_yml(_lock())


def test_torch_is_the_cpu_wheel_everywhere():
    # A looser spec makes pip fetch a multi-GB CUDA build.
    assert [str(r.specifier) for r in _pyproject_requirements() if r.name == "torch"] == ["==2.13.0"]
    assert _lock()["torch"] in ("2.13.0", "2.13.0+cpu")


def test_environment_yml_uses_python_311():
    assert "python=3.11" in _environment()["dependencies"]


def test_make_installs_the_lock_with_hashes_and_the_course_without_new_downloads():
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile[makefile.index("$(STAMP): pyproject.toml $(LOCK)"):makefile.index("\nlock:")]
    assert "--require-hashes --requirement $(LOCK)" in recipe
    assert "--no-deps --no-build-isolation --editable ." in recipe
    assert re.search(r"^LOCK\s*:=\s*requirements.txt$", makefile, re.M)
    assert "pip-compile" in makefile[makefile.index("\nlock:"):] and "--generate-hashes" in makefile


def test_readme_names_the_versions_the_course_was_checked_with():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("Checked with"):]
    named = dict(re.findall(r"`([a-z][a-z0-9-]*) ([0-9][^`]*)`", section.split("\n\n", 1)[0]))
    assert {"torch", "numpy", "keras", "jupyterlab", "nbgrader", "nbval"} <= set(named)
    lock = _lock()
    stale = {name: (version, lock.get(name)) for name, version in named.items() if lock.get(name) != version}
    assert not stale, f"README's versions differ from requirements.txt (README, lock): {stale}"


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    first_block = re.search(r"```(?:\w+)?\n(.*?)```", readme, re.S)
    assert first_block, "README.md has no code block"
    assert first_block.group(1).split("\n")[:2] == ["make lab", "make test"]
    # Nothing but the title and one paragraph may come before the commands.
    assert readme.index("```") < 1200


def test_ci_runs_the_readme_test_command():
    script = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test$", script, re.M)
    assert "set -euo pipefail" in script


def test_makefile_offers_lab_test_quick_and_strip_and_bench_only_when_wired():
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    assert {"lab", "test", "quick", "strip"} <= targets
    # `make bench` exists exactly when there is a benchmark runner behind it.
    assert ("bench" in targets) == (REPO / "benchmarks" / "run.py").exists()
