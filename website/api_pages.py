"""The API reference's pages: one per public module, generated from the packages' `__all__`.

The public API is what `dlcourse/__init__.py` lists, the modules it names, and the modules
their own `__all__` names (`dlcourse.nn.losses`), plus the instructor's `dlcourse.grading`.
Each page is an autodoc `automodule` of that module; autodoc documents the names in the
module's `__all__` (or, without one, its public functions and classes).
"""
from __future__ import annotations

import importlib
import types
from pathlib import Path

ROOTS = ["dlcourse", "dlcourse.grading"]


def public_modules() -> list[str]:
    """Dotted names of the public modules, parents before children."""
    found = []

    def visit(name):
        if name in found:
            return
        found.append(name)
        module = importlib.import_module(name)
        for member in getattr(module, "__all__", []):
            value = getattr(module, member)
            if isinstance(value, types.ModuleType) and value.__name__.startswith("dlcourse."):
                visit(value.__name__)

    for root in ROOTS:
        visit(root)
    return found


def page(name: str) -> str:
    title = f"``{name}``"
    return f"{title}\n{'=' * len(title)}\n\n.. automodule:: {name}\n   :members:\n"


def index(names: list[str]) -> str:
    lines = ["The dlcourse library", "=====================", "",
             "The public API of ``dlcourse``, generated from its docstrings: what each package's",
             "``__init__.py`` lists in ``__all__``.", "", ".. toctree::", "   :maxdepth: 1", ""]
    return "\n".join(lines + [f"   {name}" for name in names]) + "\n"


def write(folder: Path) -> None:
    """Write the pages into folder, touching only those whose text changed (Sphinx re-reads
    a page whose file is newer than its last build)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = public_modules()
    wanted = {f"{name}.rst": page(name) for name in names}
    wanted["index.rst"] = index(names)
    for stale in folder.glob("*.rst"):
        if stale.name not in wanted:
            stale.unlink()
    for file, text in wanted.items():
        path = folder / file
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
