"""Flag answer-cell code that could tamper with grading, for the instructor to review.

Autograding runs a student's answer cells and then the locked test cells in the same kernel,
so an answer cell can do more than answer: rebind ``checks`` or ``np``, patch
``numpy.testing``, swallow failures through IPython, reach the tests' frames, end the kernel.
``scan_answers`` reads (never runs) every answer cell of a submission and returns one
``Finding`` per suspicious construct, with a sentence a teacher understands; ``summarise``
turns them into one line for the autograde table. A finding is a reason to look, not a verdict.

The rules describe classes of constructs on the syntax tree (``ast``), not strings, so that
aliases (``import builtins as b``), ``getattr`` with built names, ``__import__`` and
``importlib`` are caught with the thing they hide. The classes, as ``Finding.rule``:

patching        assigns to (or deletes) an attribute or entry of an object the cell did not
                create: a module, a function from another cell, an argument the tests pass in
shadowing       defines or deletes, at the top level, a name the test cells use (``checks``,
                ``np``, ``AssertionError``, a helper of the notebook)
builtins        ``__builtins__`` or the ``builtins`` module: every later cell uses them
module table    ``sys.modules``, ``importlib``, ``__import__``: which module a name means
IPython         ``get_ipython``, magics, ``set_custom_exc``: how failures are recorded
frames          ``sys._getframe``, ``inspect``, ``f_globals``, tracebacks: the tests' variables
code objects    ``__code__``, ``__globals__``, ``types``: a function's body, swapped
object graph    ``gc``, ``__dict__``, ``__subclasses__``, ``globals()``, ``vars()``
memory          ``ctypes``: the interpreter's memory itself
dynamic code    ``eval``, ``exec``, ``compile``, ``pickle``: code this scan cannot read
hidden names    ``getattr``/``setattr`` with a computed name, or passed around as values
exit            ``os._exit``, ``sys.exit``, ``exit()``, signals: the kernel stops
threads and processes   ``threading``, ``subprocess``, ``os.system``: code beside the tests
files           absolute or parent paths, computed paths, writing files (a planted ``.py``)
network         sockets and HTTP
global hooks    ``atexit``, ``sys.settrace``, ``signal.signal``, warning filters
fake objects    classes that decide their own comparisons or conversions (``__eq__``,
                ``__array__``): a return value that passes any check
syntax          the cell does not parse (a student's mistake, reported so nothing goes unread)
"""
from __future__ import annotations

import ast
import builtins
import json
import re
from dataclasses import dataclass
from pathlib import Path

# ------------------------------------------------------------------ the classes
PATCHING = "patching"
SHADOWING = "shadowing"
BUILTINS = "builtins"
MODULE_TABLE = "module table"
IPYTHON = "IPython"
FRAMES = "frames"
CODE_OBJECTS = "code objects"
OBJECT_GRAPH = "object graph"
MEMORY = "memory"
DYNAMIC_CODE = "dynamic code"
HIDDEN_NAMES = "hidden names"
EXIT = "exit"
CONCURRENCY = "threads and processes"
FILES = "files"
NETWORK = "network"
HOOKS = "global hooks"
FAKE_OBJECTS = "fake objects"
SYNTAX = "syntax"

# Modules an answer cell has no use for and that reach past it, by their first component.
# Matched on the whole import path's root, so scipy.signal is not the signal module.
MODULES = {
    "builtins": (BUILTINS, "every later cell, the tests included, uses Python's builtins"),
    "__builtin__": (BUILTINS, "every later cell, the tests included, uses Python's builtins"),
    "sys": (MODULE_TABLE, "it holds the loaded modules, the frames and the exit of the kernel"),
    "importlib": (MODULE_TABLE, "it can reload or swap the modules the tests import"),
    "imp": (MODULE_TABLE, "it can reload or swap the modules the tests import"),
    "pkgutil": (MODULE_TABLE, "it can load any module by a name built at run time"),
    "runpy": (MODULE_TABLE, "it runs other modules' code"),
    "zipimport": (MODULE_TABLE, "it loads modules from archives"),
    "pydoc": (MODULE_TABLE, "pydoc.locate imports any module by a name built at run time"),
    "site": (MODULE_TABLE, "it changes where modules are found"),
    "IPython": (IPYTHON, "the IPython shell decides how the tests' failures are recorded"),
    "ipykernel": (IPYTHON, "the kernel decides how the tests' failures are recorded"),
    "jupyter_client": (IPYTHON, "it talks to the grading kernel"),
    "nbclient": (IPYTHON, "it runs notebooks"),
    "nbgrader": (IPYTHON, "it is the grader itself"),
    "zmq": (IPYTHON, "it talks to the grading kernel"),
    "inspect": (FRAMES, "it reaches the frames and variables of the tests"),
    "traceback": (FRAMES, "it walks the frames of the running code"),
    "pdb": (FRAMES, "a debugger controls the running code"),
    "bdb": (FRAMES, "a debugger controls the running code"),
    "trace": (FRAMES, "a tracer sees every line the tests run"),
    "types": (CODE_OBJECTS, "it builds functions and code objects by hand"),
    "gc": (OBJECT_GRAPH, "it can find any live object, the tests' included"),
    "ctypes": (MEMORY, "it can rewrite the interpreter's memory"),
    "_ctypes": (MEMORY, "it can rewrite the interpreter's memory"),
    "cffi": (MEMORY, "it can rewrite the interpreter's memory"),
    "mmap": (MEMORY, "it maps memory and files"),
    "code": (DYNAMIC_CODE, "it runs code given as strings"),
    "codeop": (DYNAMIC_CODE, "it compiles code given as strings"),
    "marshal": (DYNAMIC_CODE, "it turns bytes into code"),
    "pickle": (DYNAMIC_CODE, "unpickling runs code hidden in bytes"),
    "_pickle": (DYNAMIC_CODE, "unpickling runs code hidden in bytes"),
    "dill": (DYNAMIC_CODE, "unpickling runs code hidden in bytes"),
    "cloudpickle": (DYNAMIC_CODE, "unpickling runs code hidden in bytes"),
    "shelve": (DYNAMIC_CODE, "unpickling runs code hidden in bytes"),
    "timeit": (DYNAMIC_CODE, "it runs code given as strings"),
    "doctest": (DYNAMIC_CODE, "it runs code written in docstrings"),
    "unittest": (PATCHING, "unittest.mock patches objects the tests use"),
    "mock": (PATCHING, "it patches objects the tests use"),
    "pytest": (PATCHING, "its monkeypatch replaces objects the tests use"),
    "operator": (HIDDEN_NAMES, "attrgetter and setitem reach attributes by names built at run time"),
    "os": (CONCURRENCY, "it runs programs, ends the kernel and reaches any file"),
    "posix": (CONCURRENCY, "it runs programs, ends the kernel and reaches any file"),
    "nt": (CONCURRENCY, "it runs programs, ends the kernel and reaches any file"),
    "subprocess": (CONCURRENCY, "it runs other programs"),
    "pty": (CONCURRENCY, "it runs other programs"),
    "threading": (CONCURRENCY, "a thread keeps running beside the tests"),
    "_thread": (CONCURRENCY, "a thread keeps running beside the tests"),
    "multiprocessing": (CONCURRENCY, "a process keeps running beside the tests"),
    "concurrent": (CONCURRENCY, "workers keep running beside the tests"),
    "asyncio": (CONCURRENCY, "tasks keep running beside the tests"),
    "sched": (CONCURRENCY, "it runs code later, during the tests"),
    "signal": (EXIT, "a signal can interrupt or stop the tests"),
    "faulthandler": (EXIT, "it can stop the kernel after a delay"),
    "resource": (EXIT, "it changes the kernel's limits"),
    "atexit": (HOOKS, "it runs code when the kernel ends, after the tests"),
    "shutil": (FILES, "it copies, moves and deletes files"),
    "tempfile": (FILES, "it creates files and folders"),
    "glob": (FILES, "it lists files anywhere on the machine"),
    "socket": (NETWORK, "it opens network connections"),
    "ssl": (NETWORK, "it opens network connections"),
    "http": (NETWORK, "it opens network connections"),
    "urllib": (NETWORK, "it opens network connections"),
    "urllib3": (NETWORK, "it opens network connections"),
    "requests": (NETWORK, "it opens network connections"),
    "httpx": (NETWORK, "it opens network connections"),
    "aiohttp": (NETWORK, "it opens network connections"),
    "ftplib": (NETWORK, "it opens network connections"),
    "smtplib": (NETWORK, "it opens network connections"),
    "telnetlib": (NETWORK, "it opens network connections"),
    "xmlrpc": (NETWORK, "it opens network connections"),
    "socketserver": (NETWORK, "it opens network connections"),
    "select": (NETWORK, "it waits on network connections"),
    "selectors": (NETWORK, "it waits on network connections"),
    "webbrowser": (NETWORK, "it opens web pages"),
}

# Uses that matter whatever cell imported the module, by full path (numpy.seterr, os.system); the
# longest matching prefix decides. Also the dangerous corners of modules an answer may use.
PATHS = {
    "numpy.ctypeslib": (MEMORY, "it reaches memory through ctypes"),
    "numpy.f2py": (DYNAMIC_CODE, "it compiles and loads native code"),
    "torch.utils.cpp_extension": (DYNAMIC_CODE, "it compiles and loads native code"),
    "torch.multiprocessing": (CONCURRENCY, "a process keeps running beside the tests"),
    "numpy.seterr": (HOOKS, "it silences the numerical warnings the tests check for, in every later cell"),
    "numpy.seterrcall": (HOOKS, "it changes how numerical warnings are handled, in every later cell"),
    "numpy.errstate": (HOOKS, "it silences the numerical warnings the tests check for"),
    "warnings.filterwarnings": (HOOKS, "it silences the warnings the tests check for"),
    "warnings.simplefilter": (HOOKS, "it silences the warnings the tests check for"),
    "warnings.resetwarnings": (HOOKS, "it changes which warnings the tests see"),
    "warnings.filters": (HOOKS, "it changes which warnings the tests see"),
    "warnings.showwarning": (HOOKS, "it changes which warnings the tests see"),
    "logging.disable": (HOOKS, "it silences messages for every later cell"),
    "sys.exit": (EXIT, "it stops the cell, and the tests after it do not run normally"),
    "os._exit": (EXIT, "it kills the kernel"),
    "os.abort": (EXIT, "it kills the kernel"),
    "os.kill": (EXIT, "it sends a signal that can kill the kernel or the grader"),
    "os.killpg": (EXIT, "it sends a signal that can kill the kernel or the grader"),
    "signal.signal": (HOOKS, "a signal handler runs code in the middle of the tests"),
    "signal.alarm": (EXIT, "it interrupts the tests after a delay"),
    "signal.setitimer": (EXIT, "it interrupts the tests after a delay"),
    "signal.raise_signal": (EXIT, "it sends a signal to the kernel"),
    "signal.pthread_kill": (EXIT, "it sends a signal to the kernel"),
    "os.system": (CONCURRENCY, "it runs a shell command"),
    "os.popen": (CONCURRENCY, "it runs a shell command"),
    "os.fork": (CONCURRENCY, "it starts a second copy of the kernel"),
    "os.forkpty": (CONCURRENCY, "it starts a second copy of the kernel"),
    "sys.settrace": (HOOKS, "a trace function runs on every line of the tests"),
    "sys.setprofile": (HOOKS, "a profile function runs on every call of the tests"),
    "threading.settrace": (HOOKS, "a trace function runs on every line of the tests"),
    "threading.setprofile": (HOOKS, "a profile function runs on every call of the tests"),
    "sys.excepthook": (HOOKS, "it decides what happens to the tests' errors"),
    "sys.displayhook": (HOOKS, "it decides what the tests' results show"),
    "sys.stdout": (HOOKS, "it captures or hides what the tests print"),
    "sys.stderr": (HOOKS, "it captures or hides the tests' error messages"),
    "atexit.register": (HOOKS, "it runs code when the kernel ends, after the tests"),
    "sys._getframe": (FRAMES, "a frame holds the variables of the running code, the tests' included"),
    "inspect.currentframe": (FRAMES, "a frame holds the variables of the running code, the tests' included"),
    "inspect.stack": (FRAMES, "frames hold the variables of the running code, the tests' included"),
    "sys.modules": (MODULE_TABLE, "it decides which module an import gives, numpy.testing included"),
    "sys.meta_path": (MODULE_TABLE, "it decides which module an import gives"),
    "sys.path": (MODULE_TABLE, "it decides where imports are found"),
    "importlib.reload": (MODULE_TABLE, "it re-runs a module the tests use"),
    "importlib.import_module": (MODULE_TABLE, "it imports a module by a name given at run time"),
    "gc.get_objects": (OBJECT_GRAPH, "it finds every live object, the tests' included"),
    "gc.get_referrers": (OBJECT_GRAPH, "it finds the objects that hold a given one, the tests' included"),
    "threading.Thread": (CONCURRENCY, "a thread keeps running beside the tests"),
    "multiprocessing.Process": (CONCURRENCY, "a process keeps running beside the tests"),
    "subprocess.run": (CONCURRENCY, "it runs another program"),
    "subprocess.Popen": (CONCURRENCY, "it runs another program"),
    "ctypes.pythonapi": (MEMORY, "it calls the interpreter's C functions directly"),
    "ctypes.cast": (MEMORY, "it turns an address into an object, reaching any object in memory"),
    "builtins.print": None,  # harmless builtins, resolved as builtins.<name>, are not findings
}
PATHS = {path: rule for path, rule in PATHS.items() if rule}

# Attribute names that reach past the cell whatever object they are read from.
ATTRIBUTES = {
    **{name: (FRAMES, "a frame holds the variables of the code that is running, the tests' included")
       for name in ("f_globals", "f_locals", "f_back", "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next",
                    "gi_frame", "cr_frame", "ag_frame", "_getframe", "currentframe", "getouterframes",
                    "getinnerframes", "walk_stack", "extract_stack", "_current_frames")},
    **{name: (IPYTHON, "it decides how the tests' failures are shown and recorded")
       for name in ("get_ipython", "set_custom_exc", "showtraceback", "_showtraceback", "showsyntaxerror",
                    "custom_exceptions", "CustomTB", "run_cell", "run_line_magic", "run_cell_magic", "user_ns",
                    "user_global_ns", "set_hook", "InteractiveShell", "register_magic_function")},
    **{name: (HOOKS, "a hook runs code on every line, call or error of the tests")
       for name in ("settrace", "setprofile", "excepthook", "displayhook", "addaudithook", "breakpointhook",
                    "unraisablehook")},
    **{name: (OBJECT_GRAPH, "it finds live objects, the tests' included")
       for name in ("get_objects", "get_referrers", "get_referents")},
    **{name: (MODULE_TABLE, "it changes which module a name means") for name in
       ("import_module", "reload", "meta_path", "path_hooks", "module_from_spec", "spec_from_file_location",
        "exec_module")},
    **{name: (EXIT, "it stops the kernel") for name in ("_exit", "killpg", "pthread_kill")},
    **{name: (CONCURRENCY, "it runs other programs or keeps code running beside the tests")
       for name in ("fork", "forkpty", "popen", "Popen", "system", "start_new_thread", "posix_spawn",
                    "posix_spawnp", "spawnv", "spawnl", "execv", "execve", "execvp", "execl", "execlp")},
    **{name: (FILES, "it writes a file, which a later test cell could import or read")
       for name in ("write_text", "write_bytes", "tofile", "symlink_to", "hardlink_to")},
    "cell_contents": (CODE_OBJECTS, "it changes the variables a function closes over"),
    "attrgetter": (HIDDEN_NAMES, "it reads attributes by names built at run time"),
    "methodcaller": (HIDDEN_NAMES, "it calls methods by names built at run time"),
}
# Module names that, read as attributes (checks.sys, numpy.os), reach that module.
MODULE_ATTRIBUTES = {"sys", "os", "builtins", "subprocess", "ctypes", "ctypeslib", "importlib", "inspect", "gc",
                     "threading", "multiprocessing", "_thread", "socket", "atexit", "cpp_extension", "f2py",
                     "pickle", "marshal", "shutil", "ipykernel", "IPython"}

# Dunder attributes with ordinary uses (super().__init__(), f.__name__); every other one is internals.
SAFE_DUNDERS = {"__init__", "__name__", "__qualname__", "__doc__", "__len__", "__call__", "__iter__", "__next__",
                "__enter__", "__exit__", "__getitem__", "__setitem__", "__contains__", "__repr__", "__str__",
                "__version__", "__annotations__"}
DUNDERS = {
    **{name: (CODE_OBJECTS, "it reads or swaps the body, globals or defaults of a function")
       for name in ("__code__", "__globals__", "__closure__", "__defaults__", "__kwdefaults__", "__func__",
                    "__wrapped__", "__self__")},
    "__builtins__": (BUILTINS, "every later cell, the tests included, uses Python's builtins"),
    **{name: (MODULE_TABLE, "it reaches how modules are found and loaded")
       for name in ("__import__", "__loader__", "__spec__", "__path__", "__file__")},
    "__traceback__": (FRAMES, "a traceback leads to the frames of the running code"),
}
# Methods that make an object decide its own comparisons or conversions: check_close(got, expected)
# would ask the student's object whether it is close.
FAKE_OBJECT_METHODS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__float__",
                       "__int__", "__index__", "__complex__", "__abs__", "__array__", "__array_ufunc__",
                       "__array_function__", "__array_interface__", "__array_struct__", "__array_priority__",
                       "__array_wrap__", "__array_finalize__", "__torch_function__", "__torch_dispatch__",
                       "__getattr__", "__getattribute__", "__instancecheck__", "__subclasscheck__",
                       "__class_getitem__", "__init_subclass__", "__set_name__", "__del__", "__round__"}

# Builtins that are tools for tampering when an answer cell calls them (or passes them around).
BUILTIN_CALLS = {
    "eval": (DYNAMIC_CODE, "runs code from a string (eval), which this scan cannot read"),
    "exec": (DYNAMIC_CODE, "runs code from a string (exec), which this scan cannot read"),
    "compile": (DYNAMIC_CODE, "compiles code from a string, which this scan cannot read"),
    "__import__": (MODULE_TABLE, "imports a module by a name given at run time (__import__)"),
    "globals": (OBJECT_GRAPH, "reads or changes the notebook's variables through globals(), the tests' included"),
    "vars": (OBJECT_GRAPH, "reads or changes an object's variables through vars()"),
    "breakpoint": (FRAMES, "starts the debugger inside the grading kernel"),
    "exit": (EXIT, "stops the kernel (exit), so the tests after it do not run normally"),
    "quit": (EXIT, "stops the kernel (quit), so the tests after it do not run normally"),
    "getattr": (HIDDEN_NAMES, "reads an attribute by a name given at run time (getattr)"),
    "setattr": (HIDDEN_NAMES, "sets an attribute by a name given at run time (setattr)"),
    "delattr": (HIDDEN_NAMES, "deletes an attribute by a name given at run time (delattr)"),
    "open": (FILES, "opens a file"),
}
# Builtin constructors whose result holds what they were given (list([np])[0] is numpy).
CONTAINERS = {"list", "tuple", "dict", "set", "frozenset", "iter", "next", "reversed", "sorted", "min", "max",
              "enumerate", "zip", "map", "filter"}
# Calls that open a file by name, and where the name is.
FILE_OPENERS = {"builtins.open", "io.open", "open", "pathlib.Path", "pathlib.PurePath", "numpy.load",
                "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.save", "numpy.savez",
                "numpy.savez_compressed", "numpy.savetxt", "numpy.memmap", "torch.load", "torch.save"}
# Methods that change a container or tensor in place (checks.TOLERANCES.update(...)).
MUTATORS = {"append", "extend", "insert", "update", "clear", "pop", "popitem", "remove", "setdefault", "add",
            "discard", "sort", "reverse", "fill", "resize", "put", "itemset", "setflags", "__setitem__",
            "__delitem__"}
# Names a test cell relies on even when the notebook does not say so.
ALWAYS_PROTECTED = {"checks", "dlcourse", "np", "numpy", "torch", "nn", "F", "math", "check_close", "check_shape",
                    "check_equal", "check_gradient", "check_true", "forbid_reference", "assert_allclose",
                    "assert_array_equal", "assert_equal", "testing", "npt", "get_ipython", "__builtins__",
                    "isinstance", "issubclass", "len", "float", "int", "bool", "str", "abs", "type", "print",
                    "range", "zip", "all", "any", "sum", "min", "max", "round", "repr", "tuple", "list", "dict",
                    "set", "getattr", "hasattr", "globals", "super", "object", "callable", "iter", "next"}
ALWAYS_PROTECTED |= {name for name, value in vars(builtins).items()
                     if isinstance(value, type) and issubclass(value, BaseException)}
# What those names are when the notebook's own cells do not import them (import numpy as np is fine).
CONVENTIONAL_IMPORTS = {"np": "numpy", "numpy": "numpy", "torch": "torch", "nn": "torch.nn",
                        "F": "torch.nn.functional", "checks": "dlcourse.checks", "dlcourse": "dlcourse",
                        "math": "math", "plt": "matplotlib.pyplot", "npt": "numpy.testing",
                        "testing": "numpy.testing", "assert_allclose": "numpy.testing.assert_allclose"}

# How far a value may lead outside the cell; a name's kind is the worst over its bindings.
FRESH, UNKNOWN, GIVEN, OUTSIDE = 0, 1, 2, 3  # made here; a call's result; an argument; a module or another cell's
DUNDER = re.compile(r"^__\w+__$")


@dataclass(frozen=True)
class Finding:
    """One construct of an answer cell for the instructor to look at."""

    cell: str  # the answer cell's nbgrader grade_id
    line: int  # 1-based, in the cell
    rule: str  # the class of construct, one of the constants above
    reason: str  # what the code does, and why that matters to grading

    def __str__(self):
        return f"answer cell {self.cell}, line {self.line} ({self.rule}): {self.reason}"


@dataclass(frozen=True)
class GradingContext:
    """What the notebook's locked cells rely on, so that an answer cell may not redefine it."""

    protected: frozenset  # names the test cells use but do not define themselves
    imports: dict  # name -> module path, as the notebook's own cells import them (np -> numpy)
    graded: frozenset  # names the answer cells are there to define (sigmoid, ReplayBuffer)
    from_imports: frozenset = frozenset()  # names imported with `from m import name` (maybe not modules)


# ------------------------------------------------------------------ entry points
def scan_answers(notebook, reference=None) -> list[Finding]:
    """Findings for every answer cell of a notebook (nbgrader ``solution: true``), in cell order.

    notebook: an nbformat notebook, its JSON as a dict, or a path. reference: the instructor's
    source notebook (solutions/<id>/<id>.ipynb), whose hidden tests show every name the tests
    use; without it the notebook's own locked cells are used. Returns [] when nothing is flagged.
    """
    notebook = _cells_of(notebook)
    context = grading_context(reference if reference is not None else notebook)
    findings = []
    for index, cell in enumerate(notebook):
        meta = _nbgrader(cell)
        if cell.get("cell_type") == "code" and meta.get("solution"):
            findings += scan_cell(_source(cell), meta.get("grade_id") or f"#{index + 1}", context)
    return findings


def scan_cell(source: str, cell: str = "answer", context: GradingContext | None = None) -> list[Finding]:
    """Findings for the source of one answer cell, as if it ran in a notebook with that context."""
    context = context or default_context()
    source = _python_of(source)
    try:
        tree = ast.parse(source)
    except SyntaxError as error:  # also ValueError for NUL bytes, below
        return [Finding(cell, error.lineno or 1, SYNTAX, f"does not parse ({error.msg}); not scanned")]
    except ValueError as error:
        return [Finding(cell, 1, SYNTAX, f"does not parse ({error}); not scanned")]
    # One finding per class and line: `os.system` says more than the bare attribute `.system`.
    unique = {}
    for finding in sorted(_Scanner(tree, cell, context).run(), key=lambda f: f.reason.startswith("uses .")):
        unique.setdefault((finding.line, finding.rule), finding)
    return sorted(unique.values(), key=lambda f: (f.line, f.rule))


def summarise(findings: list[Finding], limit: int = 3) -> str:
    """One line for a table: "" when nothing was flagged, else how many and the first few.

    e.g. "review 2: sigmoid line 3 patching; tanh line 5 dynamic code".
    """
    if not findings:
        return ""
    shown = "; ".join(f"{f.cell} line {f.line} {f.rule}" for f in findings[:limit])
    more = f"; +{len(findings) - limit} more" if len(findings) > limit else ""
    return f"review {len(findings)}: {shown}{more}"


def default_context() -> GradingContext:
    """The names any dlcourse test cell relies on, for a cell scanned without its notebook."""
    return GradingContext(frozenset(ALWAYS_PROTECTED), dict(CONVENTIONAL_IMPORTS), frozenset())


def grading_context(notebook) -> GradingContext:
    """What the locked (non-answer) code cells of a notebook use and import."""
    protected, imports, graded, from_imports = set(ALWAYS_PROTECTED), dict(CONVENTIONAL_IMPORTS), set(), set()
    for cell in _cells_of(notebook):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_python_of(_source(cell)))
        except (SyntaxError, ValueError):
            continue
        if _nbgrader(cell).get("solution"):
            graded.add(_nbgrader(cell).get("grade_id"))
            graded |= {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
            continue
        if not (_nbgrader(cell).get("locked") or _nbgrader(cell).get("grade")):
            continue  # an ordinary cell ("Try it"): the student's own, not part of grading
        bound = {node.id for node in ast.walk(tree)
                 if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
        bound |= {node.name for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler) and node.name}
        bound |= {arg.arg for node in ast.walk(tree) if isinstance(node, ast.arguments)
                  for arg in node.posonlyargs + node.args + node.kwonlyargs + [node.vararg, node.kwarg] if arg}
        bound |= {node.name for node in ast.walk(tree)
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        loaded = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        protected |= loaded - bound  # used here, defined elsewhere: by setup, a helper cell, or an answer
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name, path in _imported(node):
                    imports[name] = path
                    protected.add(name)
                    if isinstance(node, ast.ImportFrom):
                        from_imports.add(name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                protected.add(node.name)  # helpers the tests call
    return GradingContext(frozenset(protected - graded), imports, frozenset(graded - {None}), frozenset(from_imports))


# ------------------------------------------------------------------ reading notebooks
def _cells_of(notebook):
    if isinstance(notebook, (str, Path)):
        notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
    if isinstance(notebook, list):  # already a list of cells
        return notebook
    return notebook.get("cells", []) if isinstance(notebook, dict) else notebook.cells


def _nbgrader(cell):
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _python_of(source: str) -> str:
    """IPython syntax (!cmd, %magic, %%cell magic) as the Python calls the kernel runs, get_ipython()...."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # without IPython a magic simply does not parse, and is reported so
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - a cell IPython cannot read is left for ast to report
        return source


def _imported(node):
    """(bound name, module path) for each name an import statement binds."""
    for alias in node.names:
        if isinstance(node, ast.Import):
            if alias.asname:
                yield alias.asname, alias.name
            else:
                yield alias.name.split(".")[0], alias.name.split(".")[0]
        else:
            base = "." * node.level + (node.module or "")
            yield alias.asname or alias.name, f"{base}.{alias.name}" if base else alias.name


def _path_danger(path: str):
    """(path, class, why) for the longest prefix of a module path in PATHS (numpy.seterr), else None."""
    parts = path.lstrip(".").split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in PATHS:
            return (prefix, *PATHS[prefix])
    return None


def _module_danger(path: str):
    """(class, why) if importing a module path (numpy.ctypeslib, os.path) reaches past the cell, else None."""
    specific = _path_danger(path)
    return specific[1:] if specific else MODULES.get(path.lstrip(".").split(".")[0])


def _folded(node):
    """The string an expression always evaluates to ("__di" + "ct__"), or None when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _folded(node.left), _folded(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [_folded(value) for value in node.values]
        return "".join(parts) if all(part is not None for part in parts) else None
    return None


# ------------------------------------------------------------------ scopes: who binds a name, to what
class _Scope:
    def __init__(self, node, kind, parent):
        self.node, self.kind, self.parent = node, kind, parent  # kind: module, function, class, comprehension
        self.bindings = {}  # name -> list of (origin, detail, node)
        self.global_names, self.nonlocal_names = set(), set()

    def bind(self, name, origin, detail, node):
        self.bindings.setdefault(name, []).append((origin, detail, node))


class _Scanner:
    """Builds the scopes of one cell, works out what each name may hold, then applies the rules."""

    def __init__(self, tree, cell, context):
        self.tree, self.cell, self.context = tree, cell, context
        self.module = _Scope(tree, "module", None)
        self.scope_of = {}  # node -> the scope its names are looked up in
        self.parent = {}
        self.cell_functions = {}  # name -> FunctionDef defined at the top level of the cell
        self.attribute_stores = []  # (target Attribute, value) stored on objects the cell owns
        self.kinds = {}  # (id(scope), name) -> kind, refined until nothing changes
        self.visiting = set()  # expressions whose kind is being worked out (guards against cycles)
        self.findings = []

    def run(self):
        self._collect(self.tree, self.module)
        for _ in range(6):  # each round can only raise kinds; a handful settles any real cell
            before = dict(self.kinds)
            self._settle()
            if self.kinds == before:
                break
        for node in ast.walk(self.tree):
            self._check(node)
        self._check_top_level_names()
        return self.findings

    def flag(self, node, rule, reason):
        self.findings.append(Finding(self.cell, getattr(node, "lineno", 1), rule, reason))

    # -------------------------------------------------- pass 1: scopes and bindings
    def _collect(self, node, scope):
        self.scope_of[node] = scope
        for child in ast.iter_child_nodes(node):
            self.parent[child] = node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._collect_function(node, scope)
        elif isinstance(node, ast.ClassDef):
            scope.bind(node.name, "def", None, node)
            for child in node.bases + node.keywords + node.decorator_list:
                self._collect(child, scope)
            inner = _Scope(node, "class", scope)
            for child in node.body:
                self._collect(child, inner)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            inner = _Scope(node, "comprehension", scope)
            for number, generator in enumerate(node.generators):
                self.parent[generator] = node
                self._collect(generator.iter, scope if number == 0 else inner)  # the first iterable runs outside
                self._bind_target(generator.target, generator.iter, inner)
                self._collect(generator.target, inner)
                for condition in generator.ifs:
                    self._collect(condition, inner)
            for part in ([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]):
                self._collect(part, inner)
        else:
            self._bind_statement(node, scope)
            for child in ast.iter_child_nodes(node):
                self._collect(child, scope)

    def _collect_function(self, node, scope):
        arguments = node.args
        for default in arguments.defaults + [d for d in arguments.kw_defaults if d is not None]:
            self._collect(default, scope)
        if not isinstance(node, ast.Lambda):
            scope.bind(node.name, "def", None, node)
            for child in node.decorator_list + ([node.returns] if node.returns else []):
                self._collect(child, scope)
            if scope is self.module:
                self.cell_functions[node.name] = node
        inner = _Scope(node, "function", scope)
        positional = arguments.posonlyargs + arguments.args
        defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        is_method = (scope.kind == "class" and not isinstance(node, ast.Lambda)
                     and not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list))
        for number, (arg, default) in enumerate(zip(positional, defaults)):
            inner.bind(arg.arg, "self" if is_method and number == 0 else "param", default, arg)
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
            inner.bind(arg.arg, "param", default, arg)
        for arg in (arguments.vararg, arguments.kwarg):
            if arg:
                inner.bind(arg.arg, "param", None, arg)
        body = node.body if isinstance(node.body, list) else [node.body]
        for statement in body:  # `global x` applies to the whole function, wherever it is written
            for child in _walk_scope(statement):
                if isinstance(child, ast.Global):
                    inner.global_names |= set(child.names)
                elif isinstance(child, ast.Nonlocal):
                    inner.nonlocal_names |= set(child.names)
        for statement in body:
            self._collect(statement, inner)

    def _bind_statement(self, node, scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, node.value, scope)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            self._bind_target(node.target, node.value, scope)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._bind_target(node.target, node.iter, scope)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            self._bind_target(node.optional_vars, node.context_expr, scope)
        elif isinstance(node, ast.NamedExpr):
            while scope.kind == "comprehension":  # := in a comprehension binds in the enclosing function
                scope = scope.parent
            self._bind_target(node.target, node.value, scope)
        elif isinstance(node, ast.ExceptHandler) and node.name:  # an exception raised elsewhere
            self._bind_name(node.name, "unknown", None, node, scope)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, path in _imported(node):
                self._bind_name(name, "import", path, node, scope)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            self._bind_name(node.name, "unknown", None, node, scope)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self._bind_name(node.rest, "unknown", None, node, scope)

    def _bind_target(self, target, value, scope):
        if isinstance(target, ast.Name):
            self._bind_name(target.id, "value", value, target, scope)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, value, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            pairs = (isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
                     and not any(isinstance(e, ast.Starred) for e in target.elts + value.elts))
            for number, element in enumerate(target.elts):
                self._bind_target(element, value.elts[number] if pairs else value, scope)
        elif isinstance(target, ast.Attribute):
            self.attribute_stores.append((target, value))

    def _bind_name(self, name, origin, detail, node, scope):
        if name in scope.global_names:
            scope = self.module
        scope.bind(name, origin, detail, node)

    # -------------------------------------------------- pass 2: what each name may hold
    def _resolve(self, name, scope):
        """The scope that binds `name` as seen from `scope`, or None: another cell's, or a builtin."""
        if name in scope.global_names:
            return self.module if name in self.module.bindings else None
        if name in scope.bindings and name not in scope.nonlocal_names:
            return scope
        outer = scope.parent
        while outer is not None:
            if outer.kind != "class" and name in outer.bindings and name not in outer.global_names:
                return outer
            outer = outer.parent
        return None

    def _settle(self):
        for scope in {id(s): s for s in self.scope_of.values()}.values():
            for name, origins in scope.bindings.items():
                kind = max(self._origin_kind(origin, detail, scope, name) for origin, detail, _ in origins)
                self.kinds[(id(scope), name)] = max(kind, self.kinds.get((id(scope), name), FRESH))
        # a cell function given a module or another cell's object by the cell itself treats it as its own
        # parameter: def patch(m): m.x = 1; patch(np.testing)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in self.cell_functions:
                function = self.cell_functions[node.id]
                if self._resolve(node.id, self.scope_of[node]) is not self.module:
                    continue
                call = self.parent.get(node)
                if isinstance(call, ast.Call) and call.func is node:
                    leaked = [a for a in call.args + [k.value for k in call.keywords]
                              if self._kind(a, self.scope_of[a]) == OUTSIDE]
                else:
                    leaked = [node]  # passed around as a value: anything may reach its parameters
                if leaked:
                    inner = self._function_scope(function)
                    for name in inner.bindings:
                        if any(origin == "param" for origin, _, _ in inner.bindings[name]):
                            self.kinds[(id(inner), name)] = OUTSIDE

    def _function_scope(self, function):
        return self.scope_of[function.body[0]]

    def _origin_kind(self, origin, detail, scope, name):
        if origin == "import":
            return OUTSIDE
        if origin in ("def", "self"):
            return FRESH
        if origin == "param":
            return OUTSIDE if detail is not None and self._kind(detail, self.scope_of[detail]) == OUTSIDE else GIVEN
        if origin == "value":
            return FRESH if detail is None else self._kind(detail, self.scope_of.get(detail, scope))
        return UNKNOWN

    def _name_kind(self, name, scope):
        home = self._resolve(name, scope)
        if home is None:
            return OUTSIDE
        return self.kinds.get((id(home), name), FRESH)

    def _kind(self, node, scope):
        """How far the value of an expression may lead outside the cell (FRESH ... OUTSIDE)."""
        if node in self.visiting:  # self.a = self.a: a value through itself adds nothing
            return FRESH
        self.visiting.add(node)
        try:
            return self._kind_of(node, scope)
        finally:
            self.visiting.discard(node)

    def _kind_of(self, node, scope):
        if isinstance(node, ast.Name):
            return self._name_kind(node.id, scope)
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            base = self._kind(node.value, scope)
            if base == FRESH and isinstance(node, ast.Attribute):  # self.m = np; self.m.testing = ...
                return max([FRESH] + [self._kind(v, self.scope_of.get(v, scope)) for t, v in self.attribute_stores
                                      if t.attr == node.attr])
            return base
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return max([FRESH] + [self._kind(e, scope) for e in node.elts])
        if isinstance(node, ast.Dict):
            return max([FRESH] + [self._kind(v, scope) for v in node.keys + node.values if v is not None])
        if isinstance(node, (ast.Starred, ast.NamedExpr)):
            return self._kind(node.value, scope)
        if isinstance(node, ast.IfExp):
            return max(self._kind(node.body, scope), self._kind(node.orelse, scope))
        if isinstance(node, ast.BoolOp):
            return max(self._kind(v, scope) for v in node.values)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self._kind(node.elt, self.scope_of.get(node.elt, scope))
        if isinstance(node, ast.DictComp):
            return self._kind(node.value, self.scope_of.get(node.value, scope))
        if isinstance(node, ast.Call):
            return self._call_kind(node, scope)
        if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom)):
            return UNKNOWN
        return FRESH  # constants, arithmetic, comparisons, f-strings, lambdas: new values

    def _call_kind(self, node, scope):
        """What a call returns: mostly a new object (an array, a network), but not always."""
        arguments = node.args + [k.value for k in node.keywords]
        func = node.func
        builtin = func.id if isinstance(func, ast.Name) and self._resolve(func.id, scope) is None else None
        if builtin in ("type", "vars", "globals", "locals", "super", "__import__"):
            return OUTSIDE  # a class, namespace or module that exists already: type(tensor) is torch.Tensor
        if self._qualname(func, scope) in ("importlib.import_module", "importlib.reload"):
            return OUTSIDE
        if builtin == "getattr" and node.args:
            return self._kind(node.args[0], scope)
        if builtin in CONTAINERS:  # list([np])[0] is numpy
            return max([FRESH] + [self._kind(a, scope) for a in arguments])
        # copy.copy(np), operator.attrgetter("testing")(np): a bare outside name given to a call may come back
        for argument in arguments:
            value = argument.value if isinstance(argument, ast.Starred) else argument
            for element in (value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) else [value]):
                if (isinstance(element, ast.Name) and self._name_kind(element.id, scope) == OUTSIDE
                        and not (self._resolve(element.id, scope) is None and hasattr(builtins, element.id))):
                    return OUTSIDE
        if isinstance(func, ast.Attribute):  # a method: its result may be part of its object
            base = self._kind(func.value, scope)
            if base == OUTSIDE and self._qualname(func.value, scope) is None:
                return OUTSIDE  # holder.get("np"), where holder holds a module; not np.zeros(3)
            if base in (GIVEN, UNKNOWN):
                return base  # module.modules(), x.reshape(...): parts of an object the tests pass in
        return FRESH

    def _is_function(self, node, scope):
        """Whether a value is a function (lambda, def, partial): what replacing a method would store."""
        if isinstance(node, ast.Lambda):
            return True
        if isinstance(node, ast.Name):
            home = self._resolve(node.id, scope)
            if home is not None:
                return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for _, _, n in home.bindings[node.id])
        if isinstance(node, ast.Call):
            return self._qualname(node.func, scope) in ("functools.partial", "types.MethodType")
        path = self._qualname(node, scope) if isinstance(node, (ast.Name, ast.Attribute)) else None
        return bool(path) and not path.startswith("builtins.")

    def _check_store(self, node, base, value, scope, verb):
        """An attribute store (or setattr/delattr) on `base`: patching unless the cell owns the object."""
        kind = self._kind(base, scope)
        if kind == OUTSIDE:
            self.flag(node, PATCHING, f"{verb} {self._describe(base, scope)}; that could change what the tests check")
        elif kind in (GIVEN, UNKNOWN) and value is not None and self._is_function(value, scope):
            self.flag(node, PATCHING, f"{verb} {self._describe(base, scope)}, storing a function there; that "
                                      "replaces a method the tests may call on it")

    def _root(self, node):
        """The expression an attribute/subscript chain starts from: np for np.testing.x[0]."""
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        return node

    def _qualname(self, node, scope):
        """The module path an expression names (numpy.testing.assert_allclose), when it can be told."""
        if node in self.visiting:
            return None
        self.visiting.add(node)
        try:
            return self._qualname_of(node, scope)
        finally:
            self.visiting.discard(node)

    def _qualname_of(self, node, scope):
        if isinstance(node, ast.Name):
            home = self._resolve(node.id, scope)
            if home is None:
                if node.id in self.context.imports:
                    return self.context.imports[node.id]
                return f"builtins.{node.id}" if hasattr(builtins, node.id) else None
            paths = {detail for origin, detail, _ in home.bindings[node.id] if origin == "import"}
            values = [detail for origin, detail, _ in home.bindings[node.id] if origin == "value"]
            if len(paths) == 1 and not values:
                return paths.pop()
            if len(values) == 1 and not paths and values[0] is not None:  # o = os; o.system(...)
                return self._qualname(values[0], self.scope_of.get(values[0], scope))
            return None
        if isinstance(node, ast.Attribute):
            base = self._qualname(node.value, scope)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and node.args:
            name = _folded(node.args[0])
            func = self._qualname(node.func, scope)
            if func in ("builtins.__import__", "importlib.import_module") and name:
                return name
            if func == "builtins.getattr" and len(node.args) > 1 and _folded(node.args[1]):
                base = self._qualname(node.args[0], scope)
                return f"{base}.{_folded(node.args[1])}" if base else None
        return None

    def _describe(self, node, scope):
        """How a teacher would name the object an expression starts from."""
        root = self._root(node)
        if not isinstance(root, ast.Name):
            path = self._qualname(node, scope)  # getattr(np, "test" + "ing") is numpy.testing
            if path and not path.startswith("builtins."):
                return f"{path}, part of an imported module"
            return f"`{ast.unparse(node)[:40]}`, an object this cell did not create"
        path, home = self._qualname(root, scope), self._resolve(root.id, scope)
        if path and not path.startswith("builtins."):
            if node is not root and self._qualname(node, scope):
                return f"{self._qualname(node, scope)}, part of an imported module"
            if home is None:
                whole = root.id not in self.context.from_imports
            else:
                whole = all(isinstance(n, ast.Import) for origin, _, n in home.bindings[root.id] if origin == "import")
            return f"the imported module {path}" if whole else f"`{root.id}` ({path}, imported)"
        if home is None:
            return f"`{root.id}`, which this cell did not define"
        if self._name_kind(root.id, scope) == GIVEN:
            return f"`{root.id}`, an object the tests pass in"
        return f"`{root.id}`, which may hold an object from outside this cell"

    def _own_name(self, node, scope):
        """Whether an expression is `self` of a method or a function or class this cell defines."""
        home = self._resolve(node.id, scope) if isinstance(node, ast.Name) else None
        return home is not None and all(origin in ("self", "def") for origin, _, _ in home.bindings[node.id])

    # -------------------------------------------------- pass 3: the rules
    def _check(self, node):
        scope = self.scope_of.get(node)
        if scope is None:  # pieces of syntax that hold no expression (operators, contexts)
            scope = self.scope_of.get(self.parent.get(node), self.module)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._check_import(node)
        elif isinstance(node, ast.Name):
            self._check_name(node, scope)
        elif isinstance(node, ast.Attribute):
            self._check_attribute(node, scope)
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            if self._kind(node.value, scope) == OUTSIDE:
                verb = "deletes an entry of" if isinstance(node.ctx, ast.Del) else "changes an entry of"
                self.flag(node, PATCHING, f"{verb} {self._describe(node.value, scope)}; that could change what "
                                          "the tests use or check")
        elif isinstance(node, ast.Call):
            self._check_call(node, scope)
        elif isinstance(node, ast.ClassDef):
            self._check_class(node)

    def _check_import(self, node):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            self.flag(node, SHADOWING, f"imports every name of {node.module} (import *), which can replace "
                                       "names the tests use")
        for alias in node.names:
            if isinstance(node, ast.Import):
                path = alias.name
            else:
                path = f"{node.module}.{alias.name}" if node.module and alias.name != "*" else (node.module or "")
            danger = _module_danger(path) if not getattr(node, "level", 0) else None
            if danger:
                self.flag(node, danger[0], f"imports {path}: {danger[1]}")

    def _check_name(self, node, scope):
        name = node.id
        outside = self._resolve(name, scope) is None
        if DUNDER.match(name) and name not in ("__name__", "__doc__") and outside:
            rule, why = DUNDERS.get(name, (OBJECT_GRAPH, "it is part of Python's own machinery"))
            self.flag(node, rule, f"uses {name}: {why}")
            return
        if not isinstance(node.ctx, ast.Load):
            return
        if outside and name == "get_ipython":
            self.flag(node, IPYTHON, "reaches the IPython shell (get_ipython), which can hide or rewrite test "
                                     "failures (set_custom_exc, showtraceback) and run magics")
        elif outside and name in BUILTIN_CALLS:
            call = self.parent.get(node)
            if not (isinstance(call, ast.Call) and call.func is node):
                rule = BUILTIN_CALLS[name][0]
                self.flag(node, rule if rule != FILES else HIDDEN_NAMES,
                          f"passes the builtin {name} around as a value, which hides what it is used for")
        elif outside and name == "locals" and scope is self.module:
            self.flag(node, OBJECT_GRAPH, "reads or changes the notebook's variables through locals() at the top "
                                          "level (the same as globals())")
        if not self._inside_attribute(node):
            self._check_path(node, scope)

    def _inside_attribute(self, node):
        parent = self.parent.get(node)
        return isinstance(parent, ast.Attribute) and parent.value is node

    def _check_attribute(self, node, scope):
        attr = node.attr
        mine = self._own_name(node.value, scope)  # self.system, or an attribute of a function defined here
        if DUNDER.match(attr):
            parent = self.parent.get(node)
            harmless = attr in SAFE_DUNDERS or (attr == "__class__" and isinstance(parent, ast.Attribute)
                                                 and parent.attr in ("__name__", "__qualname__"))
            if not harmless or not isinstance(node.ctx, ast.Load):
                rule, why = DUNDERS.get(attr, (OBJECT_GRAPH, "it reaches Python's internals, where the tests' "
                                                             "objects can be found and changed"))
                self.flag(node, rule, f"uses .{attr}: {why}")
        elif mine:
            pass
        elif attr in ATTRIBUTES:
            rule, why = ATTRIBUTES[attr]
            self.flag(node, rule, f"uses .{attr}: {why}")
        elif attr.startswith("co_"):
            self.flag(node, CODE_OBJECTS, f"uses .{attr}: it reads or rewrites compiled code")
        elif attr in MODULE_ATTRIBUTES:
            rule, why = _module_danger({"ctypeslib": "numpy.ctypeslib", "f2py": "numpy.f2py",
                                        "cpp_extension": "torch.utils.cpp_extension"}.get(attr, attr))
            self.flag(node, rule, f"reaches the module {attr} through another object: {why}")
        elif attr.startswith("_") and isinstance(self._root(node), ast.Name) \
                and self._kind(node.value, scope) == OUTSIDE:
            self.flag(node, PATCHING, f"reaches .{attr}, a private part of {self._describe(node.value, scope)} "
                                      "(internals the tests' tools rely on)")
        if isinstance(node.ctx, ast.Del):
            self._check_store(node, node.value, None, scope, "deletes an attribute of")
        elif isinstance(node.ctx, ast.Store):
            value = next((v for t, v in self.attribute_stores if t is node), None)
            self._check_store(node, node.value, value, scope, "assigns to an attribute of")
        if not self._inside_attribute(node):  # the whole chain, once: numpy.seterr, os.system
            self._check_path(node, scope)

    def _check_path(self, node, scope):
        """A name or attribute chain that leads to a dangerous module path, however it was reached."""
        path = self._qualname(node, scope)
        if not path or path.startswith("builtins."):
            return  # the builtins themselves are judged by name (eval, open) in _check_name and _check_call
        specific = _path_danger(path)
        if specific:
            prefix, rule, why = specific
            self.flag(node, rule, f"uses {prefix}: {why}")
            return
        root = self._root(node)
        if isinstance(root, ast.Name) and self._resolve(root.id, scope) is None and MODULES.get(path.split(".")[0]):
            rule, why = MODULES[path.split(".")[0]]  # imported by another cell, so the import rule has not seen it
            self.flag(node, rule, f"uses {path}, imported by the notebook: {why}")

    def _check_call(self, node, scope):
        func = node.func
        path = self._qualname(func, scope)
        if isinstance(func, ast.Name) and self._resolve(func.id, scope) is None:
            self._check_builtin_call(node, func.id, scope)
        elif path in ("importlib.import_module", "importlib.__import__"):
            self._check_imported_name(node)
        if path in FILE_OPENERS and path not in ("builtins.open", "open"):
            self._check_file(node, path)
        if isinstance(func, ast.Attribute) and func.attr in MUTATORS | {"__setitem__", "__delitem__"}:
            root = self._root(func.value)
            if isinstance(root, ast.Name) and self._kind(func.value, scope) == OUTSIDE:
                through_module = func.value is root and self._qualname(root, scope) is not None
                if not through_module:  # np.append(a, b) is a function of numpy, not a change to it
                    self.flag(node, PATCHING, f"changes {self._describe(func.value, scope)} in place with "
                                              f".{func.attr}(); that could change what the tests use")

    def _check_builtin_call(self, node, name, scope):
        if name in ("getattr", "hasattr", "setattr", "delattr") and len(node.args) >= 2:
            attr = _folded(node.args[1])
            if attr is None:
                # computed names are ordinary on the cell's own objects and the tests' arguments
                # (setattr(layer, name, ...)); on a module or another cell's object they hide the target
                if self._kind(node.args[0], scope) == OUTSIDE and name != "hasattr":
                    self.flag(node, HIDDEN_NAMES, f"{BUILTIN_CALLS[name][1]} on "
                                                  f"{self._describe(node.args[0], scope)}, so this scan cannot tell "
                                                  "what it reaches")
                elif name == "setattr" and len(node.args) > 2:
                    self._check_store(node, node.args[0], node.args[2], scope, "sets an attribute of")
                return
            if DUNDER.match(attr) and attr not in SAFE_DUNDERS or attr in ATTRIBUTES or attr in MODULE_ATTRIBUTES:
                rule, why = DUNDERS.get(attr) or ATTRIBUTES.get(attr) or (OBJECT_GRAPH, "it reaches Python's "
                                                                                       "internals")
                self.flag(node, rule, f"uses {name}(..., {attr!r}): {why}")
            if name in ("setattr", "delattr"):
                value = node.args[2] if name == "setattr" and len(node.args) > 2 else None
                verb = f"sets the attribute {attr!r} of" if name == "setattr" else f"deletes the attribute {attr!r} of"
                self._check_store(node, node.args[0], value, scope, verb)
        elif name == "open":
            self._check_file(node, "open")
        elif name == "__import__":
            self.flag(node, *BUILTIN_CALLS[name])
            self._check_imported_name(node)
        elif name == "vars" and not node.args and scope is not self.module:
            pass  # vars() in a function is its own locals
        elif name in BUILTIN_CALLS and name not in ("getattr", "hasattr", "setattr", "delattr"):
            self.flag(node, *BUILTIN_CALLS[name])
        elif name in ("setattr", "delattr"):
            self.flag(node, HIDDEN_NAMES, BUILTIN_CALLS[name][1])

    def _check_imported_name(self, node):
        name = _folded(node.args[0]) if node.args else None
        if name is None:
            self.flag(node, MODULE_TABLE, "imports a module whose name is computed, so this scan cannot tell which")
        elif _module_danger(name):
            rule, why = _module_danger(name)
            self.flag(node, rule, f"imports {name} indirectly: {why}")

    def _check_file(self, node, opener):
        where = node.args[0] if node.args else next((k.value for k in node.keywords
                                                     if k.arg in ("file", "f", "fname", "path", "filename")), None)
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        name = _folded(where) if where is not None else None
        writes = opener.split(".")[-1].startswith("save") or opener.endswith("memmap")
        if opener in ("open", "builtins.open", "io.open") and mode is not None:
            text = _folded(mode)
            writes = text is None or any(letter in text for letter in "wax+")
        if where is None or name is None:
            self.flag(node, FILES, f"opens a file whose name is computed ({opener}), so it could be anywhere")
        elif name.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[/\\]", name):
            self.flag(node, FILES, f"opens {name!r} ({opener}), outside the submission's folder")
        elif writes:
            self.flag(node, FILES, f"writes the file {name!r} ({opener}); a later test cell could import or read it")

    def _check_class(self, node):
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                self.flag(node, FAKE_OBJECTS, f"class {node.name} has a metaclass, which decides how its "
                                              "instances and isinstance checks behave")
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id == "type":
                self.flag(node, FAKE_OBJECTS, f"class {node.name} is a metaclass, which decides how other classes "
                                              "behave")
        for statement in node.body:
            names = []
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [(statement.name, statement)]
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                names = [(t.id, statement) for t in targets if isinstance(t, ast.Name)]
            for name, where in names:
                if name in FAKE_OBJECT_METHODS:
                    self.flag(where, FAKE_OBJECTS, f"class {node.name} defines {name}: an object that decides its "
                                                   "own comparisons or conversions could pass checks it should fail")

    def _check_top_level_names(self):
        """Redefining, at the top level, a name the test cells use makes them use the student's version."""
        protected = self.context.protected
        for name, origins in self.module.bindings.items():
            for origin, detail, node in origins:
                if DUNDER.match(name):
                    self.flag(node, SHADOWING, f"binds {name} at the top level, a name Python itself uses")
                elif name in protected and name not in self.context.graded:
                    if origin == "import" and detail == self.context.imports.get(name):
                        continue  # import numpy as np again: the same module under the same name
                    self.flag(node, SHADOWING, f"defines `{name}` at the top level, a name the test cells use "
                                               "(they would use this one instead)")
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del) and node.id in protected \
                    and self._resolve(node.id, self.scope_of[node]) in (self.module, None):
                self.flag(node, SHADOWING, f"deletes `{node.id}`, a name the test cells use")
            elif isinstance(node, ast.Global):
                for name in node.names:
                    if name in protected and name not in self.context.graded:
                        self.flag(node, SHADOWING, f"declares `{name}` global in a function, so the function can "
                                                   "replace a name the test cells use")


def _walk_scope(node):
    """The nodes of one scope: ast.walk that does not enter nested functions, classes or lambdas."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            yield from _walk_scope(child)
