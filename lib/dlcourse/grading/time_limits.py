"""How long nbgrader lets each cell of a graded notebook run (its ``Execute.timeout_func``).

Every cell gets a minute, except a locked test cell whose source declares more in its
metadata, ``{"dlcourse": {"time_limit": 150}}``: a hidden test that trains a model to a
target (a08's DQN on CartPole) needs longer than a unit test, and saying so on the cell
keeps the limit next to the code it is for. A ceiling stops a hand-edited notebook from
stalling a grading run.
"""
from __future__ import annotations

DEFAULT_SECONDS = 60
CEILING_SECONDS = 300


def declared_time_limit(cell) -> int | None:
    """The seconds a cell's metadata asks for (capped at the ceiling), or None if it asks nothing."""
    requested = cell.get("metadata", {}).get("dlcourse", {}).get("time_limit")
    if isinstance(requested, bool) or not isinstance(requested, (int, float)) or requested <= 0:
        return None
    return int(min(requested, CEILING_SECONDS))


def cell_time_limit(cell, default: int = DEFAULT_SECONDS, answers: int | None = None) -> int:
    """Seconds ``cell`` may run: its declared limit, else ``answers`` for answer cells, else ``default``.

    ``dlcourse check`` passes a short ``answers`` limit, so the infinite loop it plants in an
    answer cell is cut off quickly, while set-up and test cells keep the time real grading gives.
    """
    declared = declared_time_limit(cell)
    if declared is not None:
        return declared
    if answers is not None and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
        return answers
    return default


class CellTimeLimits(str):
    """``cell_time_limit`` with its ``default`` and ``answers`` bound: a value for ``Execute.timeout_func``.

    Called with a cell, it returns that cell's seconds. It is a ``str`` whose text names the
    call, so a configuration holding it stays JSON-serialisable: nbgrader's formgrader shows
    the course's configuration as JSON and shows nothing for a plain function.
    """

    def __new__(cls, default: int = DEFAULT_SECONDS, answers: int | None = None):
        limits = super().__new__(cls, f"{__name__}.cell_time_limit(default={default}, answers={answers})")
        limits.default, limits.answers = default, answers
        return limits

    def __call__(self, cell) -> int:
        return cell_time_limit(cell, self.default, self.answers)

    def __reduce__(self):
        # copy, deepcopy and pickle rebuild it from its arguments, not from its text.
        return (CellTimeLimits, (self.default, self.answers))
