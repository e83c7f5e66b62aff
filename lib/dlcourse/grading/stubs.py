"""The stub students see in place of a solution: a NotImplementedError naming the function.

nbgrader's ClearSolutions writes one fixed stub everywhere; this subclass writes
``raise NotImplementedError("Implement sigmoid(z): ...")`` so a student who runs the
notebook early reads which function is still missing.
"""
from __future__ import annotations

import re

from nbgrader.preprocessors import ClearSolutions

_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(([^)]*)\)?")


def stub_for(function: str | None, signature: str | None) -> str:
    if function is None:
        return 'raise NotImplementedError("Replace this line with your code.")'
    call = f"{function}({signature.strip()})" if signature is not None else f"{function}()"
    return (f'raise NotImplementedError("Implement {call} as its docstring describes, '
            'then run the test cell below.")')


class NamedClearSolutions(ClearSolutions):
    """ClearSolutions whose Python stub names the function the solution region belongs to."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code" or language != "python":
            return super()._replace_solution_region(cell, language)
        function = signature = None
        for line in cell.source.split("\n"):
            match = _DEF.match(line)
            if match:
                function, signature = match.group(1), match.group(2)
            if self.begin_solution_delimeter in line:
                break
        default = self.code_stub
        self.code_stub = {**default, "python": stub_for(function, signature)}
        try:
            return super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = default
