"""Keep hidden tests hidden in the feedback students get back.

nbgrader renders feedback from the autograded notebook, whose test cells hold the
instructor's code in full: the hidden tests between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``, and tracebacks that quote them (nbgrader issues 917 and 1363).
``HideHiddenTests`` runs before nbgrader's feedback preprocessors and rewrites that
notebook so that no hidden line reaches the HTML:

- a test cell shows its visible tests as they were and, in place of each hidden block,
  the line ``HIDDEN_NOTE``;
- a traceback whose failing line is hidden (or that cannot be told apart from one) is
  replaced by the exception's one-line message; a traceback of a visible failure is
  kept, without the hidden lines IPython quotes as context around the failing line;
- any other output line quoting a hidden line (a warning prints its source line) is dropped.

Which lines are hidden is read from the instructor's copy of each test cell (the
gradebook, which autograding restored the cell from, and ``solutions/``), never from
the submission, so a student cannot move or delete the markers to show them.
"""
from __future__ import annotations

import re

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
HIDDEN_NOTE = "# ... hidden tests ran here; their code is not shown ..."
WITHHELD = "(the rest of this message is withheld: it quotes a hidden test)"

# A secret shorter than this is matched only as a whole output line: short code such as
# "x = f(z)" also occurs in ordinary text, and matching it inside lines would drop those.
MIN_SECRET_INSIDE = 8

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Where a traceback frame comes from a notebook cell: IPython 8-9 "Cell In[3], line 6",
# IPython 7.x "Input In [3]" and "<ipython-input-3-...>"; the number is the execution count.
_FRAME = re.compile(r"(?:Cell In|Input In) ?\[(\d+)\](?:, line (\d+))?|<ipython-input-(\d+)-")
# A quoted source line in a frame: "      7 code" or "----> 6 code".
_QUOTED = re.compile(r"^\s*(-*>)?\s*(\d+)(?:\s|$)")


def hidden_blocks(source: str) -> list[tuple[int, int]]:
    """(first, last) line indices (0-based, markers included) of each hidden block."""
    blocks, start = [], None
    for index, line in enumerate(source.split("\n")):
        if BEGIN in line and start is None:
            start = index
        elif END in line and start is not None:
            blocks.append((start, index))
            start = None
    if start is not None:  # no END marker: nbgrader hides everything to the end, so do we
        blocks.append((start, len(source.split("\n")) - 1))
    return blocks


def hidden_line_numbers(source: str) -> set[int]:
    """1-based numbers (as tracebacks count them) of the lines in hidden blocks."""
    return {n + 1 for first, last in hidden_blocks(source) for n in range(first, last + 1)}


def visible_version(source: str) -> str:
    """The cell as students may see it: each hidden block replaced by HIDDEN_NOTE."""
    lines = source.split("\n")
    for first, last in reversed(hidden_blocks(source)):
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        lines[first:last + 1] = [indent + HIDDEN_NOTE]
    return "\n".join(lines)


def secret_lines(sources: list[str]) -> set[str]:
    """The stripped hidden lines of these cells that no visible test line already shows."""
    hidden, visible = set(), set()
    for source in sources:
        numbers = hidden_line_numbers(source)
        for n, line in enumerate(source.split("\n"), 1):
            (hidden if n in numbers else visible).add(line.strip())
    return {line for line in hidden - visible if re.search(r"\w", line) and BEGIN not in line and END not in line}


class Secrets:
    """The hidden lines of an assignment, and where an output line quotes one."""

    def __init__(self, lines: set[str]):
        self.whole = lines
        self.inside = [s for s in lines if len(s) >= MIN_SECRET_INSIDE]

    def quoted_in(self, text: str) -> bool:
        plain = _ANSI.sub("", text)
        return any(line.strip() in self.whole or any(s in line for s in self.inside)
                   for line in plain.split("\n"))

    def scrub(self, text: str) -> str:
        """text without its lines that quote a hidden line."""
        return "\n".join(line for line in text.split("\n") if not self.quoted_in(line))


def instructor_test_cells(db_url: str, notebook: str, assignment: str, extra_notebooks=()) -> dict[str, list[str]]:
    """grade_id -> the instructor's source(s) of each test cell with hidden tests.

    The gradebook holds the cells exactly as autograding restored them into the
    submission; the source notebooks add what the instructor has now, in case they differ.
    """
    found: dict[str, list[str]] = {}
    with Gradebook(db_url) as gradebook:
        try:
            cells = gradebook.find_notebook(notebook, assignment).source_cells
        except MissingEntry:
            cells = []
        for cell in cells:
            if hidden_blocks(cell.source):
                found.setdefault(cell.name, []).append(cell.source)
    for path in extra_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id and hidden_blocks(cell.source) and cell.source not in found.get(grade_id, []):
                found.setdefault(grade_id, []).append(cell.source)
    return found


class HideHiddenTests(NbGraderPreprocessor):
    """Rewrite an autograded notebook so its feedback shows no hidden test (see the module doc)."""

    # As nbgrader's GetGrades: configurable, so the HTML exporter's setting of it draws no warning.
    display_data_priority = List(NbGraderPreprocessor.display_data_priority.default_value).tag(config=True)
    instructor_notebooks = List(Unicode(), help="Source notebooks (solutions/<id>/<id>.ipynb) whose "
                                "hidden tests are hidden too, besides those the gradebook records.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        notebook_name = info["notebook"]
        extra = [p for p in self.instructor_notebooks if p.endswith(f"{notebook_name}.ipynb")]
        instructor = instructor_test_cells(info["db_url"], notebook_name, info["assignment"], extra)
        hide_hidden_tests(nb, instructor)
        return nb, resources


def hide_hidden_tests(nb, instructor: dict[str, list[str]]) -> None:
    """Rewrite nb in place: test cell sources, tracebacks and other outputs (see the module doc)."""
    secrets = Secrets(secret_lines([s for sources in instructor.values() for s in sources]))
    hidden_by_count: dict[int, set[int]] = {}  # execution count -> hidden line numbers
    unmapped: set[int] = set()  # execution counts of test cells whose lines cannot be told apart
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        sources = instructor.get(grade_id, [])
        if not sources and not hidden_blocks(cell.source):
            continue
        ran = cell.source
        if ran in sources:  # the instructor's cell, as autograding restores it
            cell.source = visible_version(ran)
            if cell.get("execution_count") is not None:
                hidden_by_count[cell.execution_count] = hidden_line_numbers(ran)
            continue
        # Not the instructor's cell as recorded (markers moved, or a cell the gradebook does
        # not know): show the instructor's visible tests, trust no line number of what ran,
        # and drop any hidden line left in what is shown.
        cell.source = secrets.scrub(visible_version(sources[0] if sources else ran))
        if cell.get("execution_count") is not None:
            unmapped.add(cell.execution_count)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [_hide_in_output(o, hidden_by_count, unmapped, secrets) for o in cell.get("outputs", [])]


def _hide_in_output(output, hidden_by_count, unmapped, secrets):
    if output.output_type == "error":
        output.evalue = _scrub_message(output.evalue, secrets)
        output.traceback = _visible_traceback(output, hidden_by_count, unmapped, secrets)
    elif output.output_type == "stream":
        output.text = secrets.scrub(output.text)
    elif output.output_type in ("execute_result", "display_data"):
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") and isinstance(value, str):
                output.data[mime] = secrets.scrub(value)
    return output


def _scrub_message(message: str, secrets: Secrets) -> str:
    if not secrets.quoted_in(message):
        return message
    kept = []
    for line in message.split("\n"):
        if secrets.quoted_in(line):
            return "\n".join(kept + [WITHHELD])
        kept.append(line)
    return message


def _visible_traceback(output, hidden_by_count, unmapped, secrets) -> list[str]:
    """The traceback without hidden lines, or only the message when the failing line is hidden."""
    message = f"{output.ename}: {output.evalue}"
    one_line = ["A hidden test failed (its code is not shown):", message]
    # The cell's line numbers cannot be trusted, or the traceback is in a form this module
    # does not parse: the failure may be visible, but its traceback could quote hidden code.
    only_message = ["A test failed (only its message is shown: the traceback would quote hidden tests):", message]
    kept = []
    for entry in output.traceback:
        lines, frame_hidden = [], set()
        for line in entry.split("\n"):
            plain = _ANSI.sub("", line)
            if plain.lstrip().startswith("File "):  # a frame in a file, not in a cell
                frame_hidden = set()
            frame = _FRAME.search(plain)
            if frame:
                count = int(frame.group(1) or frame.group(3))
                if count in unmapped:
                    return only_message
                frame_hidden = hidden_by_count.get(count, set())
                if frame.group(2) and int(frame.group(2)) in frame_hidden:
                    return one_line
            quoted = _QUOTED.match(plain)
            if quoted and int(quoted.group(2)) in frame_hidden:
                if quoted.group(1):  # the arrow: the failing line itself is hidden
                    return one_line
                continue  # a hidden line quoted as context around a visible failure
            lines.append(line)
        kept.append("\n".join(lines))
    if any(secrets.quoted_in(entry) for entry in kept):
        return only_message
    return kept
