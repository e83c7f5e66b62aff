"""How a submitted notebook is executed for grading: nbgrader's Execute step, hardened.

``GradingExecute`` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(``Course.api(grading=True)``). On top of running the cells it:

- starts the kernel in a sandbox (``dlcourse.grading.sandbox``), unless the instructor
  turned that off;
- guards the checks (``dlcourse.grading.guard``): the machinery the tests rely on is put
  back before every test cell and compared with its record after it; a test during which it
  changed fails, decided here, outside the kernel;
- keeps at most ``output_kb`` of each cell's output, so an endless print cannot fill the
  grader's memory or the gradebook's notebook;
- grades a notebook whose kernel died as far as it got: the cells after the death get an
  error saying so (their tests score 0), and the test cells that passed before keep their
  points. nbgrader on its own drops the whole submission;
- ends the kernel at once when the last cell is done: a graceful shutdown waits about two
  seconds for a kernel that has imported torch to tidy up, which nothing graded needs (the
  sandbox's PID namespace ends every process the notebook started with it).
"""
from __future__ import annotations

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Int

from . import guard
from .sandbox import Limits, SandboxedKernelManager

TAMPERED = "ChecksTampered"
KERNEL_DIED = "KernelDied"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_instructor_cell(cell) -> bool:
    """A locked cell that is not a test: the set-up whose names the tests use."""
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("solution") and not meta.get("grade")


class GradingExecute(Execute):
    """nbgrader's Execute, with a sandboxed kernel, guarded checks, capped output and partial
    grades after a kernel death."""

    sandbox = Bool(True, help="Run each submission's kernel in a sandbox (dlcourse.grading.sandbox).").tag(config=True)
    guard_checks = Bool(True, help="Restore the checks before each test cell and fail a test during which "
                                   "they changed (dlcourse.grading.guard).").tag(config=True)
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                           help="How the kernel ends after the last cell (nbclient's option).").tag(config=True)
    output_kb = Int(Limits.output_kb, help="Text output a cell may keep, KiB; the rest is cut, with a note.").tag(config=True)

    def __init__(self, **kw):
        super().__init__(**kw)
        if self.sandbox:
            self.kernel_manager_class = SandboxedKernelManager
        self._kept: dict[int, int] = {}  # cell index -> characters of output kept
        self._death: str | None = None  # why the kernel is gone, once it is
        self._fingerprint: str | None = None  # of the machinery, before any student code
        self._guard_name = guard.namespace()

    def preprocess(self, nb, resources=None, km=None):
        # A fresh start for every notebook: its own kernel, guard name and record.
        self._kept, self._death, self._fingerprint = {}, None, None
        self._guard_name = guard.namespace()
        return super().preprocess(nb, resources, km)

    # --- running cells --------------------------------------------------------------
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "code":
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if self._death is not None:
            cell.outputs = [_error(KERNEL_DIED, f"not run: {self._death}")]
            return cell
        test = is_test_cell(cell)
        try:
            if self.guard_checks and self._fingerprint is None:
                self._fingerprint = await self._silently(*guard.install_code(self._guard_name))
            if self.guard_checks and test:
                await self._silently(*guard.restore_code(self._guard_name))
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            if self.guard_checks and test:
                now = await self._silently("", guard.verify_expression(self._guard_name))
                if now != self._fingerprint:
                    cell.outputs.append(_error(TAMPERED, "the checks this test relies on were changed while it ran "
                                                         "(by code of the answer cells); this test scores 0"))
            elif self.guard_checks and is_instructor_cell(cell):
                code = guard.keep_code(cell.source, self._guard_name)
                if code:
                    await self._silently(code, None)
        except DeadKernelError:
            self._death = ("the kernel died (the notebook ended it, crashed it, or it ran out of memory); "
                           "tests before this cell kept their points")
            cell.outputs.append(_error(KERNEL_DIED, self._death))
        except (CellTimeoutError, TimeoutError, RuntimeError) as error:
            # An interrupt did not bring it back: code of the notebook broke the kernel itself.
            self._death = (f"the kernel stopped answering ({error.__class__.__name__}); "
                           "tests before this cell kept their points")
            cell.outputs.append(_error(KERNEL_DIED, self._death))
        return cell

    # nbclient binds its synchronous execute_cell to its own coroutine; bind it to this one.
    execute_cell = run_sync(async_execute_cell)

    async def _silently(self, code: str, expression: str | None) -> str | None:
        """Run grader code in the kernel without a trace in the notebook; the expression's value."""
        expressions = {"value": expression} if expression else {}
        msg_id = self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions,
                                 allow_stdin=False)
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None:
            raise DeadKernelError("no reply from the kernel")
        content = reply["content"]
        if content.get("status") != "ok":
            return f"error: {content.get('ename')}: {content.get('evalue')}"
        if not expression:
            return None
        value = content.get("user_expressions", {}).get("value", {})
        if value.get("status") != "ok":
            return f"error: {value.get('ename')}: {value.get('evalue')}"
        return value.get("data", {}).get("text/plain")

    # --- output ---------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
            limit = self.output_kb * 1024
            kept = self._kept.get(cell_index, 0)
            size = _output_size(msg["content"])
            if kept + size > limit:
                if kept <= limit:  # say it once
                    outs.append(NotebookNode(output_type="stream", name="stdout",
                                             text=f"\n[the grader kept only the first {self.output_kb} KiB "
                                                  "of this cell's output]\n"))
                    self._kept[cell_index] = limit + 1
                return None
            self._kept[cell_index] = kept + size
        return super().output(outs, msg, display_id, cell_index)


def _output_size(content: dict) -> int:
    """Characters of text an output message carries (images count by their encoded size)."""
    size = len(content.get("text", ""))
    for value in content.get("data", {}).values():
        size += len(value) if isinstance(value, str) else len(str(value))
    return size
