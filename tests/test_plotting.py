"""Behaviour of dlcourse.plotting: what each helper draws, how it validates its inputs, that
none writes files or touches global settings, and that TrainingCurves updates one figure in
place when it runs inside a Jupyter kernel."""
import json
import re
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dlcourse import plotting  # noqa: E402
from dlcourse.plotting import TrainingCurves, decision_boundary, image_grid, plot_history  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _square_points(n=200, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=(n, 2))


def _right_half(P):
    return (P[:, 0] > 0).astype(int)


def _contour_sets(ax):
    """(filled regions, boundary lines) that decision_boundary drew into ax."""
    sets = [c for c in ax.collections if isinstance(c, ContourSet)]
    filled = [c for c in sets if c.filled]
    lines = [c for c in sets if not c.filled]
    return filled, lines


def _vertices(contour_set, level_index):
    return contour_set.get_paths()[level_index].vertices


# ------------------------------------------------------------------- decision_boundary
def test_decision_boundary_returns_the_axes_it_drew_into():
    X = _square_points()
    fig, ax = plt.subplots()
    assert decision_boundary(_right_half, X, _right_half(X), ax=ax) is ax
    assert isinstance(decision_boundary(_right_half, X), Axes)


def test_decision_boundary_fills_each_label_where_predict_gives_it():
    X = _square_points()
    ax = decision_boundary(_right_half, X, _right_half(X), resolution=101)
    (filled,), (line,) = _contour_sets(ax)
    step = 5.0 / 100  # grid spacing: (2 + 0.5) - (-2 - 0.5) over 100 intervals, give or take X's extremes
    left, right = _vertices(filled, 0), _vertices(filled, 1)
    assert left[:, 0].max() <= step and right[:, 0].min() >= -step  # class 0 left of x1 = 0, class 1 right
    assert filled.get_paths()[0].contains_point((-1, 0)) and filled.get_paths()[1].contains_point((1, 0))
    assert np.all(np.abs(line.get_paths()[0].vertices[:, 0]) <= step)  # the boundary line is x1 = 0


def test_decision_boundary_colours_points_and_regions_by_class_for_three_classes():
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    y = np.repeat([0, 1, 2], 20)
    X = centres[y] + np.random.default_rng(0).normal(0, 0.3, size=(60, 2))

    def nearest_centre(P):
        return np.linalg.norm(P[:, None, :] - centres[None], axis=2).argmin(axis=1)  # (m,)

    ax = decision_boundary(nearest_centre, X, y)
    (filled,), _ = _contour_sets(ax)
    assert len(filled.get_paths()) == 3
    for label, centre in enumerate(centres):
        assert filled.get_paths()[label].contains_point(centre)
    blue_vermillion_green = [to_rgb(c) for c in ("#0072B2", "#D55E00", "#009E73")]  # Okabe-Ito, colour-blind safe
    points = ax.collections[-3:]
    for label, collection in enumerate(points):
        np.testing.assert_allclose(collection.get_facecolor()[0][:3], blue_vermillion_green[label])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]


def test_decision_boundary_reads_whole_number_floats_as_labels():
    X = _square_points()
    ax = decision_boundary(lambda P: (P[:, 0] > 0).astype(float), X, _right_half(X))
    (filled,), _ = _contour_sets(ax)
    assert len(filled.get_paths()) == 2  # two class regions, not a shading of scores


def test_decision_boundary_draws_the_half_contour_for_probabilities():
    X = _square_points()
    ax = decision_boundary(lambda P: 1 / (1 + np.exp(-4 * P[:, 0])), X, _right_half(X), resolution=101)
    (filled,), (line,) = _contour_sets(ax)
    assert list(line.levels) == [0.5]
    assert (filled.levels.min(), filled.levels.max()) == (0.0, 1.0)
    assert np.all(np.abs(line.get_paths()[0].vertices[:, 0]) <= 0.05)


def test_decision_boundary_draws_the_zero_contour_for_scores():
    X = _square_points()
    ax = decision_boundary(lambda P: 3 * P[:, 0] - 1, X, _right_half(X), resolution=101)
    _, (line,) = _contour_sets(ax)
    assert list(line.levels) == [0.0]
    np.testing.assert_allclose(line.get_paths()[0].vertices[:, 0], 1 / 3, atol=0.05)


def test_decision_boundary_accepts_a_column_of_outputs():
    X = _square_points()
    flat = decision_boundary(lambda P: 1 / (1 + np.exp(-P[:, 0])), X)
    column = decision_boundary(lambda P: 1 / (1 + np.exp(-P[:, :1])), X)  # (m, 1)
    (filled_flat,), _ = _contour_sets(flat)
    (filled_column,), _ = _contour_sets(column)
    for a, b in zip(filled_flat.get_paths(), filled_column.get_paths()):
        np.testing.assert_allclose(a.vertices, b.vertices)


def test_decision_boundary_grid_covers_X_with_padding_at_the_given_resolution():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    seen = []

    def spy(P):
        seen.append(P)
        return _right_half(P)

    ax = decision_boundary(spy, X, resolution=30, padding=0.5)
    (P,) = seen
    assert P.shape == (900, 2) and P.dtype == np.float64
    assert (P[:, 0].min(), P[:, 0].max(), P[:, 1].min(), P[:, 1].max()) == (-0.5, 1.5, -0.5, 2.5)
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 2.5)
    decision_boundary(spy, X.astype(np.float32))
    assert seen[-1].dtype == np.float32  # so torch.from_numpy gives the float32 a model expects


def test_decision_boundary_rejects_X_that_is_not_n_by_2():
    message = "decision_boundary expects X of shape (n, 2); got shape (5, 3)."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        decision_boundary(_right_half, np.zeros((5, 3)))


@pytest.mark.parametrize("predict", [lambda P: P[:10, 0], lambda P: np.zeros((len(P), 3))],
                         ids=["too few values", "one column per class"])
def test_decision_boundary_rejects_predict_without_one_value_per_point(predict):
    with pytest.raises(ValueError, match=r"expects predict to return one value per point, shape \(40000,\)"):
        decision_boundary(predict, _square_points())


def test_decision_boundary_rejects_labels_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"one label per point, shape \(200,\); got shape \(199,\)"):
        decision_boundary(_right_half, _square_points(), np.zeros(199))


# ------------------------------------------------------------------------ plot_history
def test_plot_history_draws_one_line_per_series_from_epoch_1():
    history = {"train loss": [0.9, 0.5, 0.3], "test loss": [1.0, 0.7, 0.6]}
    ax = plot_history(history, title="losses")
    assert isinstance(ax, Axes) and ax.get_title() == "losses" and ax.get_xlabel() == "epoch"
    assert [line.get_label() for line in ax.get_lines()] == ["train loss", "test loss"]
    for line, values in zip(ax.get_lines(), history.values()):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train loss", "test loss"]


def test_plot_history_uses_a_log_axis_and_reads_keras_history_objects():
    class History:  # what keras.Model.fit returns
        history = {"loss": [1.0, 0.1, 0.01]}

    fig, ax = plt.subplots()
    assert plot_history(History(), ax=ax, xlabel="step", logy=True) is ax
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "step"
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [1.0, 0.1, 0.01])


@pytest.mark.parametrize("history, error", [([0.9, 0.5], TypeError), ({}, ValueError),
                                            ({"loss": [[1, 2], [3, 4]]}, ValueError),
                                            ({"loss": ["a", "b"]}, TypeError)],
                         ids=["list", "empty", "2-D series", "strings"])
def test_plot_history_refuses_a_wrong_type_with_a_type_error_and_a_bad_series_with_a_value_error(history, error):
    with pytest.raises(error, match="^plot_history expects"):
        plot_history(history)


def test_image_grid_refuses_a_string_column_count_with_a_type_error_and_zero_with_a_value_error():
    with pytest.raises(TypeError, match=r"^image_grid expects ncols to be a positive integer; got '3'\.$"):
        image_grid(np.zeros((3, 4, 4)), ncols="3")
    with pytest.raises(ValueError, match=r"^image_grid expects ncols to be a positive integer; got 0\.$"):
        image_grid(np.zeros((3, 4, 4)), ncols=0)


# ---------------------------------------------------------------------- TrainingCurves
def test_training_curves_are_not_live_outside_a_notebook():
    assert TrainingCurves().live is False


def test_training_curves_record_every_value_and_its_step():
    curves = TrainingCurves({"loss": ["train loss", "test loss"]}, every=1000, live=False)
    for epoch in range(1, 11):
        curves.update(epoch, {"train loss": 1 / epoch})
        if epoch % 5 == 0:
            curves.update(epoch, {"test loss": np.float32(2 / epoch)})  # NumPy scalars are numbers too
    assert curves.history["train loss"] == [1 / e for e in range(1, 11)]  # throttling drops no data
    assert curves.steps["train loss"] == list(range(1, 11))
    assert curves.history["test loss"] == [pytest.approx(0.4), pytest.approx(0.2)]
    assert curves.steps["test loss"] == [5, 10]


def test_training_curves_finish_returns_a_figure_whose_lines_hold_every_point():
    curves = TrainingCurves(("loss", "accuracy"), xlabel="step", title="run", live=False)
    for step in range(50):
        curves.update(step, loss=1 / (step + 1), accuracy=step / 50)
    fig = curves.finish()
    assert isinstance(fig, Figure) and fig is curves.figure and len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    (loss_line,), (accuracy_line,) = (ax.get_lines() for ax in fig.axes)
    np.testing.assert_array_equal(loss_line.get_xdata(), range(50))
    np.testing.assert_allclose(loss_line.get_ydata(), 1 / np.arange(1, 51))
    np.testing.assert_allclose(accuracy_line.get_ydata(), np.arange(50) / 50)
    assert fig.axes[0].get_ylim()[1] >= 1.0  # rescaled to the data, not left at the empty default


def test_training_curves_reject_unknown_series_naming_the_allowed_ones():
    curves = TrainingCurves({"loss": ["train loss", "test loss"]}, live=False)
    with pytest.raises(ValueError, match=r"unknown series 'val loss'; the series are 'train loss', 'test loss'"):
        curves.update(1, {"val loss": 0.5})
    with pytest.raises(TypeError, match=r"expects a number for series 'train loss'"):
        curves.update(1, {"train loss": "0.5"})
    assert curves.history == {"train loss": [], "test loss": []}  # a rejected update records nothing


def test_training_curves_reject_repeated_or_empty_series_names():
    with pytest.raises(ValueError, match="each series name once"):
        TrainingCurves({"a": ["loss"], "b": ["loss"]})
    with pytest.raises(ValueError, match="non-empty names"):
        TrainingCurves({"loss": []})


def test_training_curves_as_a_context_manager_draw_on_exit_even_after_an_error():
    with TrainingCurves(live=False) as curves:
        curves.update(1, loss=0.5)
        curves.update(2, loss=0.25)
    np.testing.assert_array_equal(curves.figure.axes[0].get_lines()[0].get_ydata(), [0.5, 0.25])

    with pytest.raises(RuntimeError, match="diverged"):
        with TrainingCurves(live=False) as failing:
            failing.update(1, loss=0.5)
            raise RuntimeError("diverged")
    np.testing.assert_array_equal(failing.figure.axes[0].get_lines()[0].get_ydata(), [0.5])


class _FakeHandle:
    def __init__(self):
        self.updates = 0

    def update(self, obj):
        self.updates += 1


def test_live_training_curves_display_once_then_update_at_most_every_interval(monkeypatch):
    import IPython.display

    shown = []
    handle = _FakeHandle()

    def fake_display(obj, display_id=False):
        shown.append((obj, display_id))
        return handle

    monkeypatch.setattr(IPython.display, "display", fake_display)
    curves = TrainingCurves(every=1000, live=True)
    assert curves.figure not in [manager.canvas.figure for manager in plt._pylab_helpers.Gcf.get_all_fig_managers()]
    for epoch in range(1, 21):
        curves.update(epoch, loss=1 / epoch)
    assert shown == [(curves.figure, True)] and handle.updates == 0  # the first update shows; the rest wait
    curves.finish()
    assert handle.updates == 1 and len(curves.history["loss"]) == 20


# -------------------------------------------------------------------------- image_grid
def _tiles(fig):
    """The axes that show an image, and the arrays they show."""
    shown = [ax for ax in fig.axes if ax.get_images()]
    return shown, [ax.get_images()[0].get_array() for ax in shown]


def test_image_grid_draws_one_tile_per_image_with_its_label():
    images = np.random.default_rng(0).random((13, 8, 8))
    fig = image_grid(images, labels=list(range(13)), ncols=5, title="digits")
    shown, arrays = _tiles(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 15 and len(shown) == 13  # 3 rows of 5
    assert [ax.get_title() for ax in shown] == [str(i) for i in range(13)]
    assert not any(ax.axison for ax in fig.axes)
    np.testing.assert_array_equal(arrays[4], images[4])
    assert fig._suptitle.get_text() == "digits"


@pytest.mark.parametrize("shape, tile_shape", [
    ((4, 784), (28, 28)), ((4, 1, 12, 10), (12, 10)), ((4, 12, 10, 3), (12, 10, 3)), ((4, 3, 12, 10), (12, 10, 3)),
], ids=["flat 784", "channel first grey", "channel last colour", "channel first colour"])
def test_image_grid_reshapes_each_layout_to_image_tiles(shape, tile_shape):
    images = np.random.default_rng(0).random(shape)
    _, arrays = _tiles(image_grid(images))
    assert len(arrays) == 4 and all(a.shape == tile_shape for a in arrays)
    if shape == (4, 784):
        np.testing.assert_array_equal(arrays[1], images[1].reshape(28, 28))


def test_image_grid_gives_grey_tiles_one_shared_colour_scale():
    images = np.stack([np.full((4, 4), 0.1), np.linspace(0, 1, 16).reshape(4, 4)])
    shown, _ = _tiles(image_grid(images))
    assert [ax.get_images()[0].get_clim() for ax in shown] == [(0.0, 1.0), (0.0, 1.0)]


@pytest.mark.parametrize("shape", [(4, 783), (4, 2, 8, 8), (784,), (0, 8, 8)])
def test_image_grid_rejects_shapes_it_cannot_read_as_images(shape):
    with pytest.raises(ValueError, match=r"image_grid expects images of shape \(N, H, W\).*; got shape"):
        image_grid(np.zeros(shape))


def test_image_grid_rejects_a_label_count_that_differs_from_the_images():
    with pytest.raises(ValueError, match=r"one label per image \(3\); got 2 labels"):
        image_grid(np.zeros((3, 4, 4)), labels=[1, 2])


# ------------------------------------------------------------------------- side effects
def test_no_helper_writes_files_or_changes_matplotlib_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = dict(matplotlib.rcParams)
    X = _square_points()
    decision_boundary(_right_half, X, _right_half(X), title="boundary")
    plot_history({"loss": [1.0, 0.5]}, logy=True)
    with TrainingCurves(live=False) as curves:
        curves.update(1, loss=1.0)
    image_grid(np.zeros((3, 784)), labels=["a", "b", "c"])
    plt.gcf().canvas.draw()
    assert list(tmp_path.iterdir()) == []
    assert dict(matplotlib.rcParams) == settings


def test_public_names_are_the_helpers_and_the_palette():
    assert sorted(plotting.__all__) == ["OKABE_ITO", "TrainingCurves", "decision_boundary", "image_grid",
                                        "plot_history", "use_palette"]


def test_use_palette_makes_the_okabe_ito_colours_the_series_colours():
    before = plt.rcParams["axes.prop_cycle"]
    try:
        plotting.use_palette()
        colours = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
        assert sorted(colours) == sorted(plotting.OKABE_ITO) and colours[:2] == ["#0072B2", "#D55E00"]
        fig, ax = plt.subplots()
        first, second = ax.plot([0, 1]), ax.plot([1, 0])
        assert first[0].get_color() == "#0072B2" and second[0].get_color() == "#D55E00"
        plt.close(fig)
    finally:
        plt.rcParams["axes.prop_cycle"] = before


# ---------------------------------------------------------- live mode in a real kernel
@pytest.mark.slow
def test_live_training_curves_update_one_display_in_place_in_a_notebook(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    # A kernelspec for this very interpreter, so the kernel imports the dlcourse under test.
    spec_dir = tmp_path / "jupyter" / "kernels" / "dlcourse-plotting-test"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "dlcourse plotting test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel must pick Jupyter's inline backend
    monkeypatch.delenv("DLCOURSE_LIVE", raising=False)

    source = (
        "from dlcourse.plotting import TrainingCurves\n"
        "curves = TrainingCurves({'loss': ['train loss', 'test loss']}, every=0)\n"
        "for epoch in range(1, 6):\n"
        "    curves.update(epoch, {'train loss': 1 / epoch, 'test loss': 1.5 / epoch})\n"
        "fig = curves.finish()\n"
        "print(curves.live, [len(line.get_xdata()) for line in fig.axes[0].get_lines()])"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    messages = []

    class RecordingClient(nbclient.NotebookClient):
        def process_message(self, msg, cell, cell_index):
            messages.append(msg)
            return super().process_message(msg, cell, cell_index)

    work = tmp_path / "work"
    work.mkdir()
    RecordingClient(nb, kernel_name="dlcourse-plotting-test", timeout=60,
                    resources={"metadata": {"path": str(work)}}).execute()

    outputs = nb.cells[0].outputs
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert [o.output_type for o in images] == ["display_data"]  # one figure, no stale or duplicate copy
    assert [o.text for o in outputs if o.output_type == "stream"] == ["True [5, 5]\n"]

    displayed = [m for m in messages if m["msg_type"] == "display_data"]
    updates = [m for m in messages if m["msg_type"] == "update_display_data"]
    (shown,) = displayed
    display_id = shown["content"]["transient"]["display_id"]
    assert display_id and "image/png" in shown["content"]["data"]
    # every=0: the first update displays, the other four and finish() each redraw in place
    assert [m["content"]["transient"]["display_id"] for m in updates] == [display_id] * 5
    assert images[0].data["image/png"] == updates[-1]["content"]["data"]["image/png"] != shown["content"]["data"]["image/png"]
    assert list(work.iterdir()) == []


def test_image_grid_writes_one_label_left_of_each_row_and_refuses_a_wrong_count():
    fig = image_grid(np.zeros((6, 4, 4)), ncols=3, row_labels=["asked 0", "asked 1"])
    texts = [[t.get_text() for t in ax.texts] for ax in fig.axes]
    assert texts[0] == ["asked 0"] and texts[3] == ["asked 1"] and sum(map(len, texts)) == 2
    assert fig.subplotpars.left > 0.05  # room was made on the left for them
    plt.close(fig)
    with pytest.raises(ValueError, match=r"^image_grid expects one row label per row \(2 rows of 3\); got 3 row labels\.$"):
        image_grid(np.zeros((6, 4, 4)), ncols=3, row_labels=["a", "b", "c"])
