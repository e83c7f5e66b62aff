"""The two install routes (pip via pyproject.toml, conda via environment.yml) and the
entry points (README, Makefile, .ci/run) must agree with each other."""
import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def _split(requirement):
    """'scikit-learn>=1.4' -> ('scikit-learn', '>=1.4'), names normalised as pip does."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*", requirement)
    assert match, f"cannot read requirement {requirement!r}"
    return re.sub(r"[-_.]+", "-", match.group(1)).lower(), match.group(3).replace(" ", "")


def _pyproject_requirements():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return dict(map(_split, project["dependencies"] + project["optional-dependencies"]["dev"]))


def _environment():
    return yaml.safe_load((REPO / "environment.yml").read_text())


def _environment_pip_requirements():
    (pip_section,) = [d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict)]
    return dict(_split(r) for r in pip_section if not r.startswith("-"))


def test_environment_yml_installs_the_same_packages_as_pyproject():
    pip_route, conda_route = _pyproject_requirements(), _environment_pip_requirements()
    assert sorted(conda_route) == sorted(pip_route), (
        f"only in pyproject.toml: {sorted(set(pip_route) - set(conda_route))}; "
        f"only in environment.yml: {sorted(set(conda_route) - set(pip_route))}"
    )
    differing = {name: (pip_route[name], conda_route[name]) for name in pip_route if pip_route[name] != conda_route[name]}
    assert not differing, f"version specifiers differ (pyproject, environment.yml): {differing}"


def test_torch_is_pinned_to_the_cpu_wheel_in_both_routes():
    # A looser spec makes pip fetch a multi-GB CUDA build.
    assert _pyproject_requirements()["torch"] == "==2.13.0"
    assert _environment_pip_requirements()["torch"] == "==2.13.0"


def test_environment_yml_uses_python_311_and_installs_the_project():
    dependencies = _environment()["dependencies"]
    assert "python=3.11" in dependencies
    (pip_section,) = [d["pip"] for d in dependencies if isinstance(d, dict)]
    assert "--editable .[dev]" in pip_section


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
