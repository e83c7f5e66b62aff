"""Checks that answer cells cannot disarm: the runtime layer.

A submission's answer cells run in the same Python process as the instructor's test cells,
so an answer cell can rebind what the tests rely on: the course's checks, numpy.testing,
torch, builtins, ``sys.modules``, or IPython's machinery for reporting an exception. Before
any student code runs, the grader records a fingerprint of that machinery (the objects bound
in the protected modules, the code of their functions, the attributes of their classes, the
callables of the shell and the kernel). Then, for every test cell:

- before it runs, everything recorded is put back (``RESTORE``), and the names the
  instructor's own cells bound (``np``, ``checks``, data) are rebound to what those cells made;
- after it runs, the grader asks for the fingerprint again (``VERIFY``) and compares it with
  the one it holds, outside the kernel. If anything differs, student code changed the
  machinery while the test ran, and the grader, not the kernel, records the test as failed.

Code inside the process can still, with enough effort, lie to code inside the process; the
second layer (``dlcourse.grading.scan``) flags answer cells that reach for the tools of such
effort (frames, ``gc``, ``ctypes``, code objects) for the instructor to read.
"""
from __future__ import annotations

import ast

# Modules whose Python-level objects the tests rely on, by name prefix. Imported before any
# student code, so the record is of the originals.
PROTECTED = ("dlcourse", "numpy.testing", "numpy", "torch", "torch.nn.functional", "torch.testing", "IPython",
             "ipykernel", "jupyter_client", "traitlets", "zmq", "comm", "builtins", "sys")
# Imported up front; torch's thousands of submodules are not all walked, only these.
IMPORTS = ("dlcourse", "dlcourse.checks", "dlcourse.nn", "numpy", "numpy.testing", "torch", "torch.nn.functional",
           "torch.testing")

# Names a library rewraps by itself when first used: importing torch._dynamo (which torch.optim
# does at its first step) wraps torch.manual_seed. A wrapper of the original here is not tampering.
LIBRARY_WRAPPERS = (("torch", "manual_seed"),)

def namespace() -> str:
    """A fresh name for one kernel's guard: an answer cell cannot swap in a fake under a name it
    cannot know in advance (finding it means walking sys.modules, which the scan flags)."""
    import secrets

    return f"_dlcourse_guard_{secrets.token_hex(8)}"

# Installed once, silently, before the notebook's first cell. Defines the guard as a module
# the kernel keeps in sys.modules; answer cells are not meant to know it is there.
INSTALL = r'''
def _dlcourse_install_guard(imports, prefixes, namespace, library_wrappers):
    import builtins, hashlib, importlib, sys, threading, types

    for name in imports:
        importlib.import_module(name)
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)

    def protected(name):
        return any(name == p or name.startswith(p + ".") for p in prefixes) and not name.startswith("torch._")

    modules = {n: m for n, m in list(sys.modules.items()) if m is not None and protected(n)}
    # torch has thousands of submodules; the tests use a handful
    modules = {n: m for n, m in modules.items()
               if not n.startswith("torch.") or n in ("torch.nn.functional", "torch.testing", "torch.nn.modules.module")}
    FUNCTION_PARTS = ("__code__", "__defaults__", "__kwdefaults__")

    def record_object(value, seen_classes, classes):
        if isinstance(value, type) and value not in seen_classes and protected(getattr(value, "__module__", "") or ""):
            seen_classes.add(value)
            classes.append((value, dict(value.__dict__)))

    module_records, classes, seen_classes = [], [], set()
    for name, module in modules.items():
        items = dict(vars(module))
        module_records.append((name, module, items))
        for value in items.values():
            record_object(value, seen_classes, classes)
    instances = []
    for owner in (shell, kernel):
        if owner is None:
            continue
        for attribute in ("", "session", "display_pub", "displayhook", "InteractiveTB", "SyntaxTB", "events",
                          "iopub_socket", "iopub_thread", "shell_stream", "control_stream"):
            obj = getattr(owner, attribute, None) if attribute else owner
            if obj is None or not hasattr(obj, "__dict__"):
                continue
            instances.append((obj, {k: v for k, v in vars(obj).items() if callable(v)}))
            for klass in type(obj).__mro__:
                if klass is not object and klass not in seen_classes:
                    seen_classes.add(klass)
                    classes.append((klass, dict(klass.__dict__)))
    functions = []
    for _, _, items in module_records:
        for value in items.values():
            if isinstance(value, types.FunctionType):
                functions.append((value, tuple(getattr(value, p) for p in FUNCTION_PARTS)))
    for klass, items in classes:
        for value in items.values():
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                value = value.fget
            if isinstance(value, types.FunctionType):
                functions.append((value, tuple(getattr(value, p) for p in FUNCTION_PARTS)))
    hooks = {"excepthook": sys.excepthook, "displayhook": sys.displayhook}
    library_wrappers = set(library_wrappers)

    def same(name, key, current, value):
        """Is this entry of a protected module as recorded (or rewrapped by its own library)?"""
        return current is value or ((name, key) in library_wrappers and getattr(current, "__wrapped__", None) is value)
    sys_modules = dict(modules)
    user_names = {}  # names the instructor's cells bound -> the object they bound

    def restore():
        """Put back everything recorded; return how many entries had to be put back."""
        changed = 0
        sys.settrace(None), sys.setprofile(None), threading.settrace(None), threading.setprofile(None)
        for name, value in hooks.items():
            if getattr(sys, name) is not value:
                setattr(sys, name, value)
                changed += 1
        for name, module in sys_modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed += 1
        for name, module, items in module_records:
            current = vars(module)
            for key, value in items.items():
                if not same(name, key, current.get(key, _MISSING), value):
                    current[key] = value
                    changed += 1
        for klass, items in classes:
            current = klass.__dict__
            for key in [k for k in current if k not in items]:
                try:
                    delattr(klass, key)
                    changed += 1
                except (AttributeError, TypeError):
                    pass
            for key, value in items.items():
                if current.get(key, _MISSING) is not value:
                    try:
                        setattr(klass, key, value)
                        changed += 1
                    except (AttributeError, TypeError):
                        pass
        for function, parts in functions:
            for part, value in zip(FUNCTION_PARTS, parts):
                if getattr(function, part) is not value:
                    setattr(function, part, value)
                    changed += 1
        for obj, callables in instances:
            current = vars(obj)
            for key in [k for k, v in current.items() if callable(v) and k not in callables]:
                del current[key]
                changed += 1
            for key, value in callables.items():
                if current.get(key, _MISSING) is not value:
                    current[key] = value
                    changed += 1
        if shell.custom_exceptions:
            shell.set_custom_exc((), None)
            changed += 1
        namespace = shell.user_ns
        for key, value in user_names.items():
            if namespace.get(key, _MISSING) is not value:
                namespace[key] = value
                changed += 1
        return changed

    def fingerprint(explain=False):
        """A digest of everything recorded, as it is now (with explain, the parts themselves)."""
        digest, parts_seen = hashlib.sha256(), []

        def add(*parts):
            digest.update(repr(parts).encode())
            if explain:
                parts_seen.append(parts)
        add(sys.gettrace() is None, sys.getprofile() is None, bool(shell.custom_exceptions))
        for name, value in hooks.items():
            add(name, getattr(sys, name) is value)
        for name, module in sys_modules.items():
            add(name, sys.modules.get(name) is module)
        for name, module, items in module_records:
            current = vars(module)
            add(name, [key for key, value in items.items() if not same(name, key, current.get(key, _MISSING), value)])
        for klass, items in classes:
            current = klass.__dict__
            add(klass.__qualname__, sorted(k for k in current if k not in items),
                [key for key, value in items.items() if current.get(key, _MISSING) is not value])
        for function, parts in functions:
            add(function.__qualname__, [getattr(function, p) is v for p, v in zip(FUNCTION_PARTS, parts)])
        for obj, callables in instances:
            current = vars(obj)
            add(type(obj).__qualname__, sorted(k for k, v in current.items() if callable(v) and k not in callables),
                [key for key, value in callables.items() if current.get(key, _MISSING) is not value])
        namespace = shell.user_ns
        add(sorted(key for key, value in user_names.items() if namespace.get(key, _MISSING) is not value))
        return parts_seen if explain else digest.hexdigest()

    def keep(names):
        """Record what an instructor's cell bound to these names, to rebind before each test."""
        namespace = shell.user_ns
        for name in names:
            if name in namespace:
                user_names[name] = namespace[name]

    _MISSING = object()
    guard = types.ModuleType(namespace)
    guard.restore, guard.fingerprint, guard.keep = restore, fingerprint, keep
    sys.modules[namespace] = guard
'''


def install_code(name: str) -> tuple[str, str]:
    """(code to run silently at kernel start, expression whose value is the first fingerprint).

    The fingerprint is always taken by a user expression, after the cell: while a cell runs,
    IPython swaps sys.displayhook and adds exit/quit to builtins, so the state inside a cell
    and after it differ in the same way every time.
    """
    call = f"_dlcourse_install_guard({IMPORTS!r}, {PROTECTED!r}, {name!r}, {LIBRARY_WRAPPERS!r})"
    return INSTALL + f"\n{call}\ndel _dlcourse_install_guard\n", verify_expression(name)


def restore_code(name: str) -> tuple[str, None]:
    """(code that puts the machinery back, no expression)."""
    return f"__import__('sys').modules[{name!r}].restore()\n", None


def verify_expression(name: str) -> str:
    return f"__import__('sys').modules[{name!r}].fingerprint()"


def keep_code(source: str, name: str) -> str | None:
    """Code recording the top-level names an instructor's cell binds, or None if it binds none."""
    names = bound_names(source)
    return f"__import__('sys').modules[{name!r}].keep({sorted(names)!r})\n" if names else None


def bound_names(source: str) -> set[str]:
    """Top-level names a cell binds: imports, definitions and assignments."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name != "*"}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names
