"""dlcourse.grading.scan: the static scan of answer cells for code that could tamper with grading.

No kernels: the scan only reads the cells. Two promises are tested: nothing the course itself
contains (solutions, releases, mutants) is flagged, and every class of tampering is, also when
it is hidden behind aliases, getattr, __import__ or importlib.
"""
import functools
import json
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading import scan
from dlcourse.grading.scan import Finding, scan_answers, scan_cell, summarise, grading_context
from dlcourse.grading.verify import mutated_source, read_mutant

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted(REPO.glob("solutions/*/*.ipynb"))
RELEASES = sorted(REPO.glob("assignments/*/*.ipynb"))
MUTANTS = sorted(REPO.glob("course/mutants/*/*.py"))
A01 = REPO / "solutions/a01_perceptron_and_forward_pass/a01_perceptron_and_forward_pass.ipynb"


@functools.lru_cache(maxsize=None)
def _context(assignment):
    return grading_context(nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4))


def _meta(grade_id, **kwargs):
    base = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": False, "task": False}
    return {"nbgrader": {**base, **kwargs}}


# ------------------------------------------------------------------ no false flags
def test_the_course_has_solutions_releases_and_mutants_to_check():
    assert SOLUTIONS and len(SOLUTIONS) == len(RELEASES) and len(MUTANTS) >= 3 * len(SOLUTIONS)


@pytest.mark.parametrize("path", SOLUTIONS + RELEASES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_solution_and_release_answer_cells_are_not_flagged(path):
    notebook = nbformat.read(path, as_version=4)
    assert any(cell.metadata.get("nbgrader", {}).get("solution") for cell in notebook.cells)
    assert scan_answers(notebook) == []


@pytest.mark.parametrize("path", MUTANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutants_are_not_flagged(path):
    # a mutant is a wrong answer, not an attack: each file edits one answer cell of the solution
    solution = json.loads((REPO / "solutions" / path.parent.name / f"{path.parent.name}.ipynb").read_text())
    assert scan_cell(mutated_source(read_mutant(path), solution), path.stem, _context(path.parent.name)) == []


HONEST = {
    "import numpy again": "import numpy as np\nfrom torch import nn\nimport torch.nn.functional as F\nimport math",
    "a method of its own class": "class Buffer:\n    def __init__(self):\n        self.items = []\n"
                                 "        setattr(self, 'size', 0)\n    def __len__(self):\n        return self.size",
    "layers of the module given": "def clip(module, c):\n    for layer in module.modules():\n"
                                  "        for name, p in list(layer.named_parameters(recurse=False)):\n"
                                  "            setattr(layer, name, nn.Parameter(p.detach().clamp(-c, c)))\n"
                                  "            p.grad = None",
    "library functions": "out = np.append(np.zeros(3), 1.0)\nw = torch.empty(3, 3)\ntorch.nn.init.zeros_(w)\n"
                         "model = nn.Linear(2, 2)\nmodel.eval()\nimport re\npattern = re.compile('x')",
    "trying the function out": "def double(x):\n    return 2 * x\n\nz = np.array([1.0, 2.0])\nprint(double(z))",
    "in-place on arguments": "def step(params, grads):\n    for name in params:\n        params[name] -= grads[name]\n"
                             "    grads.clear()",
    "getattr of its own object": "def pick(model, name):\n    return getattr(model, name)",
    "a local file": "with open('notes.txt') as f:\n    text = f.read()",
    "catching its own errors": "def safe(x):\n    try:\n        return 1 / x\n    except ZeroDivisionError as error:\n"
                               "        return float('inf')",
}


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST.keys())
def test_ordinary_student_code_is_not_flagged(source):
    assert scan_cell(source, "part", _context("a01_perceptron_and_forward_pass")) == []


# ------------------------------------------------------------------ every class flagged
HOSTILE = [  # (name, answer cell source, the class that must be named)
    ("rebind check_close", "checks.check_close = lambda *a, **k: None", scan.PATCHING),
    ("patch numpy.testing", "np.testing.assert_allclose = lambda *a, **k: None", scan.PATCHING),
    ("alias of numpy.testing", "import numpy.testing as t\nt.assert_allclose = print", scan.PATCHING),
    ("alias of checks", "from dlcourse import checks as c\nc.check_close = print", scan.PATCHING),
    ("getattr with a built name", "setattr(getattr(np, 'test' + 'ing'), 'assert_allclose', print)", scan.PATCHING),
    ("getattr with a computed name", "t = getattr(np, ''.join(['te', 'sting']))", scan.HIDDEN_NAMES),
    ("setattr with a computed name", "name = input()\nsetattr(checks, name, print)", scan.HIDDEN_NAMES),
    ("__import__", "__import__('numpy').testing.assert_allclose = print", scan.PATCHING),
    ("importlib.import_module", "import importlib\nimportlib.import_module('dlcourse.checks').check_close = print",
     scan.PATCHING),
    ("a module through a container", "holder = {'m': checks}\nholder['m'].check_close = print", scan.PATCHING),
    ("a module through next(iter())", "m = next(iter([checks]))\nm.check_close = print", scan.PATCHING),
    ("a module through a function's parameter", "def patch(m):\n    m.check_close = print\npatch(checks)",
     scan.PATCHING),
    ("a module kept on self", "class Box:\n    def __init__(self):\n        self.m = checks\n"
                              "    def go(self):\n        self.m.check_close = print", scan.PATCHING),
    ("the class of an argument", "def sigmoid(z):\n    type(z).sum = lambda self: 0\n    return z", scan.PATCHING),
    ("a method of an argument", "def clip_weights(module, c):\n    module.named_parameters = lambda: iter([])",
     scan.PATCHING),
    ("private internals", "checks._forbidden.clear()", scan.PATCHING),
    ("delete an attribute", "del np.testing.assert_allclose", scan.PATCHING),
    ("builtins by alias", "import builtins as b\nb.isinstance = lambda *a: True", scan.BUILTINS),
    ("__builtins__", "__builtins__.len = lambda x: 0", scan.BUILTINS),
    ("sys.modules", "import sys\nsys.modules['numpy.testing'] = None", scan.MODULE_TABLE),
    ("importlib.reload", "importlib.reload(np)", scan.MODULE_TABLE),
    ("a module reached through another", "checks.sys.modules.clear()", scan.MODULE_TABLE),
    ("set_custom_exc", "get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)", scan.IPYTHON),
    ("showtraceback through an alias", "ip = get_ipython\nip().showtraceback = lambda *a, **k: None", scan.IPYTHON),
    ("a shell escape", "!kill -9 $PPID", scan.IPYTHON),
    ("a cell magic", "%%bash\nrm -rf ~", scan.IPYTHON),
    ("sys._getframe", "import sys as s\ndef sigmoid(z):\n    s._getframe(1).f_globals['expected'] = 0\n    return z",
     scan.FRAMES),
    ("inspect", "from inspect import currentframe as here\ndef f():\n    return here().f_back.f_locals",
     scan.FRAMES),
    ("a traceback's frames", "def f():\n    try:\n        1 / 0\n    except Exception as e:\n"
                             "        return e.__traceback__.tb_frame.f_back", scan.FRAMES),
    ("swap a function's code", "def fake(*a):\n    pass\ncheck = checks.check_close\ncheck.__code__ = fake.__code__",
     scan.CODE_OBJECTS),
    ("gc", "import gc\nfound = [o for o in gc.get_objects() if callable(o)]", scan.OBJECT_GRAPH),
    ("the subclasses trick", "().__class__.__bases__[0].__subclasses__()", scan.OBJECT_GRAPH),
    ("globals() write", "globals()['check_close'] = print", scan.OBJECT_GRAPH),
    ("vars() of a module", "vars(checks)['check_close'] = print", scan.OBJECT_GRAPH),
    ("ctypes", "import ctypes\nctypes.pythonapi.Py_Exit(0)", scan.MEMORY),
    ("exec of a built string", "exec('checks.' + 'check_close = print')", scan.DYNAMIC_CODE),
    ("eval under another name", "run = eval\nrun('1 + 1')", scan.DYNAMIC_CODE),
    ("compile", "code = compile('x = 1', '<s>', 'exec')", scan.DYNAMIC_CODE),
    ("pickle", "import pickle\npickle.loads(b'')", scan.DYNAMIC_CODE),
    ("os._exit", "import os\nos._exit(0)", scan.EXIT),
    ("sys.exit", "import sys\nsys.exit()", scan.EXIT),
    ("exit()", "exit()", scan.EXIT),
    ("kill the parent", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", scan.EXIT),
    ("a thread", "import threading\nthreading.Thread(target=print).start()", scan.CONCURRENCY),
    ("multiprocessing", "from multiprocessing import Process\nProcess(target=print).start()", scan.CONCURRENCY),
    ("subprocess by alias", "import subprocess as sp\nsp.run(['ls'])", scan.CONCURRENCY),
    ("os.system by alias", "from os import system as s\ns('ls')", scan.CONCURRENCY),
    ("os reached through numpy", "np.os.system('ls')", scan.CONCURRENCY),
    ("os.fork", "import os\nos.fork()", scan.CONCURRENCY),
    ("an absolute path", "secret = open('/etc/passwd').read()", scan.FILES),
    ("a parent path", "source = open('../../solutions/a01.ipynb').read()", scan.FILES),
    ("a computed path", "def f(name):\n    return open(name).read()", scan.FILES),
    ("a planted module", "with open('scipy.py', 'w') as f:\n    f.write('import os')", scan.FILES),
    ("a socket", "import socket\nsocket.create_connection(('example.com', 80))", scan.NETWORK),
    ("atexit", "import atexit\natexit.register(print)", scan.HOOKS),
    ("sys.settrace", "import sys\nsys.settrace(lambda *a: None)", scan.HOOKS),
    ("signal.signal", "import signal\nsignal.signal(signal.SIGALRM, lambda *a: None)", scan.HOOKS),
    ("silenced warnings", "import warnings\nwarnings.simplefilter('ignore')", scan.HOOKS),
    ("numpy errors ignored", "np.seterr(all='ignore')", scan.HOOKS),
    ("del np", "del np", scan.SHADOWING),
    ("define check_close", "def check_close(*args, **kwargs):\n    pass", scan.SHADOWING),
    ("define checks", "class checks:\n    @staticmethod\n    def check_close(*a, **k):\n        pass", scan.SHADOWING),
    ("define AssertionError", "class AssertionError(Exception):\n    pass", scan.SHADOWING),
    ("import os as np", "import os as np", scan.SHADOWING),
    ("global in a function", "def sigmoid(z):\n    global checks\n    checks = None\n    return z", scan.SHADOWING),
    ("import *", "from numpy.testing import *", scan.SHADOWING),
    ("always equal", "class Close(float):\n    def __eq__(self, other):\n        return True", scan.FAKE_OBJECTS),
    ("array protocol", "class Fake:\n    __array__ = lambda self, *a: None", scan.FAKE_OBJECTS),
]


def test_there_are_enough_hostile_snippets_and_every_class_has_one():
    assert len(HOSTILE) >= 25
    classes = {rule for _, _, rule in HOSTILE}
    assert classes == {scan.PATCHING, scan.SHADOWING, scan.BUILTINS, scan.MODULE_TABLE, scan.IPYTHON, scan.FRAMES,
                       scan.CODE_OBJECTS, scan.OBJECT_GRAPH, scan.MEMORY, scan.DYNAMIC_CODE, scan.HIDDEN_NAMES,
                       scan.EXIT, scan.CONCURRENCY, scan.FILES, scan.NETWORK, scan.HOOKS, scan.FAKE_OBJECTS}


@pytest.mark.parametrize("source, rule", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_code_is_flagged_with_its_class(source, rule):
    findings = scan_cell(source, "sigmoid", _context("a01_perceptron_and_forward_pass"))
    assert rule in {f.rule for f in findings}, [str(f) for f in findings]
    for finding in findings:
        text = str(finding)
        assert text.startswith(f"answer cell sigmoid, line {finding.line} ({finding.rule}): ")
        assert "\n" not in text and len(finding.reason) > 20


def test_the_reason_names_the_module_and_the_line():
    (finding,) = scan_cell("def sigmoid(z):\n    return z\nimport numpy\nnumpy.testing.assert_allclose = print",
                           "sigmoid", _context("a01_perceptron_and_forward_pass"))
    assert finding == Finding("sigmoid", 4, scan.PATCHING, finding.reason)
    assert "numpy.testing" in finding.reason and "tests" in finding.reason


def test_without_a_notebook_the_course_conventions_protect_the_usual_names():
    assert {f.rule for f in scan_cell("np = None")} == {scan.SHADOWING}
    assert scan_cell("import numpy as np") == []


def test_a_helper_of_the_notebook_is_protected_and_a_module_it_imports_is_seen():
    a02 = _context("a02_backpropagation")  # helpers define init_params; setup imports importlib
    assert [f.rule for f in scan_cell("def init_params(sizes, seed=0):\n    return {}", "train", a02)] == [scan.SHADOWING]
    assert [f.rule for f in scan_cell("m = importlib", "train", a02)] == [scan.MODULE_TABLE]


def test_a_cell_that_does_not_parse_is_reported_with_its_line_not_as_tampering():
    (finding,) = scan_cell("def sigmoid(z):\n    return (z\n\nx = 1 +", "sigmoid")
    assert finding.rule == scan.SYNTAX and finding.line >= 2
    assert "does not parse" in finding.reason and "not scanned" in finding.reason


# ------------------------------------------------------------------ whole notebooks and the summary
def _notebook(answer, answer_markdown="print('not code')"):
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nfrom dlcourse import checks", metadata=_meta("setup", locked=True)),
        nbformat.v4.new_code_cell(answer, metadata=_meta("double", solution=True)),
        nbformat.v4.new_markdown_cell(answer_markdown, metadata=_meta("why", solution=True)),
        nbformat.v4.new_code_cell("checks.check_equal(double(2), 4, 'double(2)')",
                                  metadata=_meta("test_double", grade=True, locked=True, points=1)),
        nbformat.v4.new_code_cell("import sys  # an ordinary cell: not an answer, not scanned"),
    ])


def test_scan_answers_reads_only_answer_code_cells_and_names_them_by_grade_id():
    assert scan_answers(_notebook("def double(x):\n    return 2 * x")) == []
    findings = scan_answers(_notebook("def double(x):\n    os.system('ls')\n    return 2 * x"))
    assert [(f.cell, f.line, f.rule) for f in findings] == [("double", 2, scan.CONCURRENCY)]
    assert "os.system" in findings[0].reason  # os came from the locked setup cell, not this one


def test_scan_answers_takes_a_path_and_a_reference_notebook(tmp_path):
    path = tmp_path / "submission.ipynb"
    nbformat.write(_notebook("def double(x):\n    return 2 * x\nchecks = None"), path)
    assert [f.rule for f in scan_answers(path, reference=A01)] == [scan.SHADOWING]


def test_summarise_is_one_line_for_the_autograde_table():
    assert summarise([]) == ""
    findings = [Finding("sigmoid", 3, scan.PATCHING, "r"), Finding("tanh", 5, scan.DYNAMIC_CODE, "r")]
    assert summarise(findings) == "review 2: sigmoid line 3 patching; tanh line 5 dynamic code"
    many = findings + [Finding("relu", line, scan.EXIT, "r") for line in (1, 2)]
    line = summarise(many)
    assert line.startswith("review 4: sigmoid line 3 patching") and line.endswith("; +1 more") and "\n" not in line
