"""The lectures nbval has just executed, handed to the website's execution cache.

`make test` executes every lecture under nbval; the website needs the same executed
notebooks. So the root conftest.py records each lecture cell's kernel messages while nbval
runs it and, once every cell of a lecture has passed, rebuilds the executed notebook from
those messages (with nbclient's own message handling, so cleared and updated displays end
as Jupyter shows them) and *stages* it: one file, written whole and renamed into place.
The site build (conf.py) then moves the staged notebooks into myst-nb's jupyter-cache, keyed
as myst-nb keys them (the code cells' sources and the kernelspec), and myst-nb executes
nothing that was staged.

Staging instead of writing the cache from the test run: the two xdist workers never write
the cache's SQLite database at the same time, and a killed test run leaves at most a stray
temporary file, never a half-written cache entry. A cache entry the site build itself left
half-written (killed while importing) is found and removed by `repair_cache`.
"""
from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "website" / "_build"
STAGED = BUILD / "executed"
CACHE = BUILD / "jupyter_cache"
LECTURES = REPO / "lectures"


def executed_notebook(notebook, cell_messages: dict[int, list[dict]]):
    """The notebook with the outputs its code cells produced, rebuilt from kernel messages.

    notebook: the nbformat v4 notebook nbval ran; cell_messages: code-cell number (0, 1, ...)
    -> the iopub messages received while that cell ran. Returns a new notebook.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete

    executed = copy.deepcopy(notebook)
    client = NotebookClient(executed, record_timing=False)  # never started: only its message handling is used
    code_cells = [(index, cell) for index, cell in enumerate(executed.cells) if cell.cell_type == "code"]
    for number, (index, cell) in enumerate(code_cells):
        cell.outputs = []
        cell.execution_count = None
        client.clear_before_next_output = False
        messages = cell_messages[number]
        # The cell's own execute request is the parent of its execute_input message.
        request = next((m["parent_header"].get("msg_id") for m in messages if m["msg_type"] == "execute_input"), None)
        for message in messages:
            if request is not None and message["parent_header"].get("msg_id") != request:
                continue
            try:
                client.process_message(message, cell, index)
            except CellExecutionComplete:
                break
        # nbval runs cells without storing history, so the kernel's counts do not advance;
        # a fresh run would number the cells 1, 2, 3, ...
        cell.execution_count = number + 1
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = number + 1
    # Widget state is left out: widgets need JavaScript from a CDN, and the site is offline.
    executed.metadata.pop("widgets", None)
    return executed


def stage(notebook, source: Path) -> Path:
    """Write an executed lecture for the next site build: whole or not at all."""
    STAGED.mkdir(parents=True, exist_ok=True)
    import nbformat

    target = STAGED / source.name
    handle, temporary = tempfile.mkstemp(dir=STAGED, prefix=f".{source.stem}-", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            nbformat.write(notebook, out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def repair_cache(cache) -> list[str]:
    """Remove cache records whose notebook file is missing or unreadable; return their URIs."""
    import nbformat

    removed = []
    for record in cache.list_cache_records():
        path = Path(cache._get_notebook_path_cache(record.hashkey))  # jupyter-cache has no public accessor
        try:
            nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - missing, truncated or not JSON: all mean "not usable"
            cache.remove_cache(record.pk)
            removed.append(record.uri)
    return removed


def import_staged(cache_path: Path = CACHE) -> list[str]:
    """Move every staged lecture into the jupyter-cache at cache_path; return their names.

    A staged file is deleted only after its cache entry is written, so an interrupted import
    is redone by the next build.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    repair_cache(cache)
    imported = []
    for staged in sorted(STAGED.glob("*.ipynb")) if STAGED.is_dir() else []:
        notebook = nbformat.read(staged, as_version=4)
        bundle = CacheBundleIn(notebook, str(LECTURES / staged.name), data={"executed_by": "nbval (make test)"})
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        staged.unlink()
        imported.append(staged.name)
    for leftover in STAGED.glob(".*.part") if STAGED.is_dir() else []:
        leftover.unlink(missing_ok=True)  # a test run killed while writing
    return imported


def uncached(notebooks: list[Path], cache_path: Path = CACHE) -> list[Path]:
    """The notebooks the jupyter-cache at cache_path holds no executed copy of."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    missing = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path)
    return missing
