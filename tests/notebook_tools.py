"""What a committed notebook may hold, shared by the hygiene tests and `make strip`.

A *check cell* is a code cell whose source contains ``# NBVAL_CHECK_OUTPUT``: nbval
compares its printed text, so that text is committed. Every other output, and every
other execution count, is stripped. nbval skips the comparison of a cell whose count is
empty ("unrun"), so check cells keep a count: their ordinal among the check cells, which
does not change from run to run. Stripping is done by nbstripout; this module tags the
check cells with ``keep_output`` (the tag nbstripout honours) before calling it, and
numbers them after.

Usage: ``python tests/notebook_tools.py strip NOTEBOOK ...`` (what ``make strip`` runs).
"""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
KEEP_TAG = "keep_output"
MAX_FILE_BYTES = 2_000_000
# Folders whose contents are tools' caches or environments, not the course.
IGNORED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "dlcourse.egg-info"}
TEXT_OUTPUT_TYPES = {"stream", "execute_result"}


def executed_notebooks(root: Path = REPO) -> list[Path]:
    """Lecture and solution notebooks: the ones CI executes."""
    found = []
    for folder in ("lectures", "solutions"):
        found += [p for p in sorted((root / folder).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return found


def is_check_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and CHECK_MARKER in "".join(cell.get("source", ""))


def kernel_language_info() -> dict:
    """The ``language_info`` the course kernel reports when it starts (ipykernel's own record).

    JupyterLab writes the kernel's block into a notebook it opens; a notebook that stores
    less opens as modified, and its first save (autosave, Ctrl+S, nbgrader's Validate)
    changes a tracked file. Read in a child process: importing ipykernel here would make
    tqdm.auto, imported later in this process, take it for a notebook and draw its bars
    on stdout.
    """
    return json.loads(_kernel_language_info_json())


@functools.lru_cache(maxsize=1)
def _kernel_language_info_json() -> str:
    code = "import json; from ipykernel.ipkernel import IPythonKernel as K; print(json.dumps(K.language_info))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def language_info_problem(stored: dict, kernel: dict) -> str | None:
    """Why a stored ``language_info`` would be rewritten on opening, or None.

    The Python patch release may differ from machine to machine (a student's 3.11.9 opens
    every notebook as modified whatever is committed), so only major.minor is compared.
    """
    def comparable(info):
        version = ".".join(str(info.get("version", "")).split(".")[:2])
        return {**info, "version": version}

    if comparable(stored) != comparable(kernel):
        missing = sorted(set(kernel) - set(stored))
        detail = f"lacks {', '.join(missing)}" if missing else "differs from the kernel's"
        return (f"metadata.language_info {detail}, so JupyterLab rewrites it on opening and the notebook "
                "opens as modified (run `make strip`)")
    return None


def notebook_problems(path: Path) -> list[str]:
    """Every reason this notebook may not be committed as it is (empty list: fine)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - any parse failure is the problem to report
        return [f"{path.name}: is not a readable notebook ({error.__class__.__name__}: {error})"]
    problems = []
    language = language_info_problem(nb.metadata.get("language_info", {}), kernel_language_info())
    if language:
        problems.append(f"{path.name}: {language}")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.name} cell {index}"
        tagged = KEEP_TAG in cell.metadata.get("tags", [])
        if is_check_cell(cell):
            if cell.get("execution_count") is None:
                problems.append(f"{where}: check cell has no execution count, so nbval would skip it (run `make strip`)")
            if not cell.outputs:
                problems.append(f"{where}: check cell has no saved output to compare (run it, then `make strip`)")
            if not tagged:
                problems.append(f"{where}: check cell lacks the '{KEEP_TAG}' tag (run `make strip`)")
            for output in cell.outputs:
                if output.output_type not in TEXT_OUTPUT_TYPES or (
                    output.output_type == "execute_result" and set(output.data) != {"text/plain"}
                ):
                    problems.append(f"{where}: check cell keeps a non-text output ({output.output_type})")
                if output.get("execution_count") is not None:
                    problems.append(f"{where}: output keeps an execution count (run `make strip`)")
                if output.get("name") == "stderr":
                    problems.append(f"{where}: check cell prints to stderr (warnings or progress bars)")
        else:
            if cell.get("execution_count") is not None:
                problems.append(f"{where}: execution count left in (run `make strip`)")
            if tagged:
                problems.append(f"{where}: '{KEEP_TAG}' tag on a cell that is not a check cell")
            if cell.outputs:
                problems.append(f"{where}: outputs left in (run `make strip`)")
    return problems


def repository_files(root: Path = REPO) -> dict[str, tuple[int, int]]:
    """Map of every file in the work tree (outside tool caches) to (mtime_ns, size)."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS]
        for name in names:
            path = Path(folder, name)
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed while we walked
                continue
            files[str(path.relative_to(root))] = (stat.st_mtime_ns, stat.st_size)
    return files


def tracked_files(root: Path = REPO) -> set[str] | None:
    """The files git tracks in the work tree, or None outside a git checkout."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return {name for name in listed.stdout.split("\0") if name}


def changed_files(before: dict, after: dict, tracked: set[str] | None = None) -> list[str]:
    """What a notebook may have done to the work tree between two `repository_files` snapshots:
    files created, and tracked files modified or deleted.

    Untracked files that existed before (a log the user redirects the test run into, an editor's
    swap file) are the user's and change on their own: they are left alone. With `tracked` None
    (no git), every file that existed before counts as tracked.
    """
    course = before.keys() if tracked is None else before.keys() & tracked
    return sorted(
        [f"created {p}" for p in after.keys() - before.keys()]
        + [f"deleted {p}" for p in course - after.keys()]
        + [f"modified {p}" for p in course & after.keys() if before[p] != after[p]]
    )


def tag_check_cells(path: Path) -> bool:
    """Give check cells the keep_output tag and take it from all others; True if changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        wanted = is_check_cell(cell)
        if wanted and KEEP_TAG not in tags:
            tags.append(KEEP_TAG)
        elif not wanted and KEEP_TAG in tags:
            tags.remove(KEEP_TAG)
        else:
            continue
        changed = True
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    if changed:
        nbformat.write(nb, path)
    return changed


def number_check_cells(path: Path) -> None:
    """Give check cells the counts 1, 2, ... (nbval compares only cells with a count)."""
    nb = nbformat.read(path, as_version=4)
    checks = [cell for cell in nb.cells if is_check_cell(cell)]
    if any(cell.execution_count != number for number, cell in enumerate(checks, start=1)):
        for number, cell in enumerate(checks, start=1):
            cell.execution_count = number
        nbformat.write(nb, path)


def complete_language_info(path: Path) -> None:
    """Store the kernel's whole ``language_info``, as JupyterLab would on opening."""
    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("language_info") != kernel_language_info():
        nb.metadata["language_info"] = kernel_language_info()
        nbformat.write(nb, path)


def strip(paths: list[Path]) -> None:
    """Tag check cells, let nbstripout remove everything else (figures included), number the
    checks, and store the kernel's whole language_info."""
    for path in paths:
        tag_check_cells(path)
    nbstripout = Path(sys.executable).with_name("nbstripout")
    # display_data (figures, widgets) is dropped even from check cells: only text is compared.
    subprocess.run([str(nbstripout), "--drop-output-type=display_data", *map(str, paths)], check=True)
    for path in paths:
        number_check_cells(path)
        complete_language_info(path)
    for path in paths:
        for problem in notebook_problems(path):
            print(problem, file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "strip":
        sys.exit("usage: python tests/notebook_tools.py strip NOTEBOOK [NOTEBOOK ...]")
    targets = [Path(p) for p in sys.argv[2:]]
    if targets:
        strip(targets)
        print(f"stripped {len(targets)} notebook(s)")
    else:
        print("no notebooks to strip")
