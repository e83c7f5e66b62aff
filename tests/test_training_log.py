"""The shared end of the library's training loops (dlcourse/_loop.py): every value recorded,
curves drawn only where they can be seen, and no figure left open."""
import matplotlib.pyplot as plt
import pytest
import torch

from dlcourse._loop import TrainingLog, live_curves


def test_training_log_records_every_value_as_a_plain_number():
    with TrainingLog(["loss", "accuracy"], live=False) as log:
        for step in range(1, 4):
            log.record(step, loss=torch.tensor(1.0 / step), accuracy=0.5)
    assert log.history == {"loss": [1.0, 0.5, pytest.approx(1 / 3)], "accuracy": [0.5, 0.5, 0.5]}
    assert all(type(v) is float for v in log.history["loss"])


@pytest.mark.parametrize("live", [False, None])
def test_curves_that_would_not_be_seen_leave_no_figure_open(live):
    before = plt.get_fignums()
    assert live_curves({"loss": ["loss"]}, live) is None
    with TrainingLog(["loss"], live=live) as log:
        log.record(1, loss=0.3)
    assert log.curves is None and plt.get_fignums() == before


def test_live_curves_draw_only_the_series_of_their_panels(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a) or _Handle())
    with TrainingLog(["d_loss", "g_loss", "grad_norm"], {"loss": ["d_loss", "g_loss"]}, live=True) as log:
        curves = log.curves
        log.record(1, d_loss=1.0, g_loss=2.0, grad_norm=3.0)
    assert curves.history == {"d_loss": [1.0], "g_loss": [2.0]}
    assert log.history["grad_norm"] == [3.0] and shown
    plt.close(curves.figure)


def test_a_loop_that_raises_still_finishes_its_curves(monkeypatch):
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: _Handle())
    with pytest.raises(FloatingPointError):
        with TrainingLog(["loss"], live=True) as log:
            curves = log.curves
            log.record(1, loss=0.1)
            raise FloatingPointError("diverged")
    assert log.curves is None and curves.history == {"loss": [0.1]}
    plt.close(curves.figure)


class _Handle:
    def update(self, *args):
        pass
