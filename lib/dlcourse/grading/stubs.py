"""The stub students see in place of a solution: a NotImplementedError naming the function.

nbgrader's ClearSolutions writes one fixed stub everywhere; this subclass writes
``raise NotImplementedError("Implement sigmoid(z): ...")`` so a student who runs the
notebook early reads which function is still missing.
"""
from __future__ import annotations

import re

import nbformat
from nbgrader.preprocessors import ClearSolutions

_DEF = re.compile(r"^[ \t]*def\s+(\w+)\s*\(", re.MULTILINE)


def _parameters(source: str, start: int) -> str | None:
    """The text between the parenthesis at ``source[start - 1]`` and its partner, on one line.

    Counts brackets and skips string literals, so defaults such as ``state=()`` or
    ``sep=")"`` and signatures spread over several lines come out whole. None if the
    parenthesis is never closed.
    """
    depth, quote, i = 1, None, start
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return " ".join(source[start:i].split()).rstrip(",")
        i += 1
    return None


# The stub's message: "Implement <call> as its docstring describes, then run the test cell below."
STUB_START, STUB_END = "Implement ", " as its docstring describes, then run the test cell below."
# Where a message or a cell's source names the function of a stub (dlcourse validate reads it).
STUBBED_FUNCTION = re.compile(r"""NotImplementedError(?:\(\s*["']|: )Implement (\w+)\(""")


def stub_for(function: str | None, signature: str | None) -> str:
    if function is None:
        return 'raise NotImplementedError("Replace this line with your code.")'
    call = f"{function}({signature.strip()})" if signature is not None else f"{function}()"
    call = call.replace("\\", "\\\\").replace('"', '\\"')  # the stub is a double-quoted literal
    return f'raise NotImplementedError("{STUB_START}{call}{STUB_END}")'


class NamedClearSolutions(ClearSolutions):
    """ClearSolutions whose Python stub names the function the solution region belongs to."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code" or language != "python":
            return super()._replace_solution_region(cell, language)
        # nbgrader gives every region of a cell one stub; a class whose methods are each a region
        # needs the stub of each method, so the regions are replaced one at a time, each named by
        # the last def that opens before it.
        done, rest, replaced = "", cell.source, False
        while self.begin_solution_delimeter in rest:
            begin = rest.find(self.begin_solution_delimeter)
            end = rest.find(self.end_solution_delimeter, begin)
            if end < 0:  # no END: let nbgrader report it
                cell.source = done + rest
                return super()._replace_solution_region(cell, language)
            cut = rest.find("\n", end)
            cut = len(rest) if cut < 0 else cut + 1
            piece, rest = nbformat.NotebookNode(cell_type="code", source=rest[:cut]), rest[cut:]
            source = done + piece.source
            function = signature = None
            for match in _DEF.finditer(source[:len(done) + begin]):
                function, signature = match.group(1), _parameters(source, match.end())
            default = self.code_stub
            self.code_stub = {**default, "python": stub_for(function, signature)}
            try:
                super()._replace_solution_region(piece, language)
            finally:
                self.code_stub = default
            done, replaced = done + piece.source, True
        cell.source = done + rest
        return replaced
