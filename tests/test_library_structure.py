"""How the library is put together: one home per concern, loops that fit on a screen, and
`import dlcourse` that stays light. Measured on the source, so a regression fails here."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parent.parent / "lib" / "dlcourse"
SOURCES = sorted(LIBRARY.rglob("*.py"))
SCREEN = 50  # lines of code a reader sees at once, docstring not counted


def _functions(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _code_lines(function) -> int:
    """Lines from `def` to the last line, less the docstring's."""
    lines = function.end_lineno - function.lineno + 1
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def _is_training_loop(name: str) -> bool:
    return name in ("fit", "q_learning", "transfer_style") or (name.startswith("train") and not name.startswith("train_mode"))


TRAINING_LOOPS = [(path, f) for path in SOURCES for f in _functions(path)
                  if _is_training_loop(f.name) and "grading" not in path.parts]


def test_the_training_loops_are_found():
    names = {f.name for _, f in TRAINING_LOOPS}
    assert {"fit", "train", "train_gan", "train_wgan", "train_dqn", "transfer_style", "train_charlm"} <= names


@pytest.mark.parametrize("path, function", TRAINING_LOOPS, ids=lambda x: getattr(x, "name", ""))
def test_every_training_loop_fits_on_one_screen(path, function):
    assert _code_lines(function) < SCREEN, (
        f"{path.relative_to(LIBRARY)}:{function.lineno} {function.name} has {_code_lines(function)} lines of code; "
        "move its argument checks into a helper")


def _generic_checks(path):
    """Functions that test a value against numbers.Integral/Real and raise: copies of
    check_int / check_real."""
    for function in _functions(path):
        calls_isinstance_number = any(
            isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "numbers"
            and node.attr in ("Integral", "Real") for node in ast.walk(function))
        raises = any(isinstance(node, ast.Raise) for node in ast.walk(function))
        if calls_isinstance_number and raises:
            yield f"{path.name}:{function.lineno} {function.name}"


# Number tests that are not argument checks of a call, each with its reason.
NOT_ARGUMENT_CHECKS = {
    "nn/autograd.py _wrap": "an operator (x + 2) whose message names the operator",
    "nn/autograd.py __pow__": "an operator whose message explains Value exponents",
    "dlcourse/plotting.py _as_float": "a recorded value may be NaN: a diverging loss is still drawn",
    "dlcourse/report.py _as_number": "a reported figure keeps ints as ints and may be NaN",
}


def test_integer_and_number_checks_live_only_in_the_validation_module():
    found = [(path.parent.name, entry) for path in SOURCES if path.name != "_validation.py"
             for entry in _generic_checks(path)]
    copies = [f"{folder}/{entry}" for folder, entry in found
              if f"{folder}/{entry.split(':')[0]} {entry.split()[-1]}" not in NOT_ARGUMENT_CHECKS]
    assert copies == [], "use dlcourse._validation.check_int / check_real"


def test_the_generic_check_rule_finds_a_private_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text("import numbers\n\ndef _check_int(v):\n    if not isinstance(v, numbers.Integral):\n"
                    "        raise ValueError('no')\n    return v\n")
    assert list(_generic_checks(copy)) == ["copy.py:3 _check_int"]


def test_the_library_never_reaches_into_the_test_folder():
    reaching = [str(p.relative_to(LIBRARY)) for p in SOURCES if '"tests"' in p.read_text() or "'tests'" in p.read_text()]
    assert reaching == []


def test_importing_dlcourse_loads_no_heavy_library():
    code = ("import sys, dlcourse\n"
            "print(','.join(m for m in ('torch', 'matplotlib', 'keras', 'ipywidgets', 'nbgrader') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"import dlcourse loaded {loaded}; submodules are imported on first use"


@pytest.mark.parametrize("package", ["dlcourse.models", "dlcourse.widgets"])
def test_packages_import_their_names_plainly(package):
    init = LIBRARY / Path(*package.split(".")[1:]) / "__init__.py"
    tree = ast.parse(init.read_text())
    assert not any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body), (
        f"{package} resolves names through __getattr__; import them plainly so tools can follow them")
