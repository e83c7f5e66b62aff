"""The end every training loop of the library shares: a history of per-step values, drawn
live while the loop runs when asked, and the figure closed when it is not.

A loop writes::

    with TrainingLog(["d_loss", "g_loss"], live=live, xlabel="step") as log:
        for step in range(1, steps + 1):
            ...
            log.record(step, d_loss=d_loss.item(), g_loss=g_loss.item())
    return log.history

``log.history`` maps each name to its list of values, one per ``record`` call that gave it.
The curves are drawn only when they can be seen (``live=None``: inside Jupyter; ``True``:
always; ``False``: never); a figure that will not be shown is closed at once, so a loop run
from a script or a test leaves no figure open, and leaving the ``with`` block finishes the
drawing even when the loop raised.
"""
from __future__ import annotations

__all__ = ["TrainingLog", "live_curves"]


def live_curves(panels, live, xlabel="epoch"):
    """A ``dlcourse.plotting.TrainingCurves`` drawing ``panels`` while a loop runs, or None
    when nothing would be shown (live False, or None outside Jupyter)."""
    if live is False:
        return None
    import matplotlib.pyplot as plt

    from .plotting import TrainingCurves

    curves = TrainingCurves(panels, xlabel=xlabel, live=live)
    if not curves.live:
        plt.close(curves.figure)
        return None
    return curves


class TrainingLog:
    """Per-step lists of named values, drawn as live curves when they can be seen.

    names: the series a loop records, in order. panels: which subplots the curves have and
    which series each holds (a dict title -> names; default: one subplot per name). Series
    left out of every panel are recorded but not drawn.
    """

    def __init__(self, names, panels=None, *, live=None, xlabel="epoch"):
        self.history = {name: [] for name in names}
        panels = panels if panels is not None else {name: [name] for name in names}
        self._drawn = {name for series in panels.values() for name in series}
        self.curves = live_curves(panels, live, xlabel)

    def record(self, step, **values):
        """Append each value (a number, or a 0-d tensor) to its series; redraw if live."""
        for name, value in values.items():
            self.history[name].append(value.item() if hasattr(value, "item") else value)
        if self.curves is not None:
            self.curves.update(step, {name: self.history[name][-1] for name in values if name in self._drawn})

    def finish(self) -> dict:
        """Draw the last points (live curves only) and return the history."""
        if self.curves is not None:
            self.curves.finish()
            self.curves = None
        return self.history

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finish()
        return False
