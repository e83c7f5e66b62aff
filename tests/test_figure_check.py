"""tests/figure_check.py, the rules every lecture figure is held to: each is shown a figure
that breaks it and a figure that keeps it."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import figure_check  # noqa: E402


def _problems(fig):
    fig.canvas.draw()
    found = figure_check.problems(fig, fig.canvas.get_renderer())
    plt.close(fig)
    return found


def test_a_labelled_titled_figure_with_a_legend_has_no_problem():
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3), layout="constrained")
    left.plot([0, 1], label="train")
    left.plot([1, 0], label="test")
    left.legend()
    left.set(title="loss", xlabel="epoch")
    right.imshow(np.eye(3))
    right.set_title("weights")
    assert _problems(fig) == []


def test_an_axes_with_data_but_no_title_or_label_is_a_problem():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert _problems(fig) == ["1 axes with data has neither a title nor axis labels"]
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    ax.set_ylabel("loss")
    assert _problems(fig) == []


def test_image_panels_with_their_axis_off_may_share_the_figure_title():
    fig, axes = plt.subplots(1, 3)
    for ax in axes:
        ax.imshow(np.eye(2))
        ax.axis("off")
    assert _problems(fig) == ["3 axes with data have neither a title nor axis labels"]
    fig, axes = plt.subplots(1, 3)
    for ax in axes:
        ax.imshow(np.eye(2))
        ax.axis("off")
    fig.suptitle("three digits")
    assert _problems(fig) == []


def test_several_labelled_series_need_a_legend_that_names_them():
    fig, ax = plt.subplots()
    ax.plot([0, 1], label="momentum")
    ax.plot([1, 0], label="plain")
    ax.set_title("paths")
    assert _problems(fig) == ["an axes shows 2 labelled series ('momentum', 'plain') without a legend that names them"]


def test_panels_may_share_one_legend_that_names_all_their_series():
    fig, axes = plt.subplots(1, 2, layout="constrained")
    for ax in axes:
        ax.plot([0, 1], label="g(z)")
        ax.plot([1, 0], label="g'(z)")
        ax.set_title("a panel")
    axes[0].legend()
    assert _problems(fig) == []


def test_titles_that_overlap_or_stick_out_of_the_figure_are_problems():
    fig, axes = plt.subplots(1, 2, figsize=(4, 2))
    for ax in axes:
        ax.plot([0, 1])
        ax.set_title("a rather long title that cannot fit above a narrow panel")
    found = _problems(fig)
    assert any("overlap" in p for p in found) and any("cut off" in p for p in found)


@pytest.mark.slow
def test_install_reports_the_problems_of_each_cell_in_a_kernel(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    report = tmp_path / "problems.jsonl"
    shell = InteractiveShell.instance()
    uninstall = figure_check.install(str(report))
    try:
        shell.run_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\n"
                       "fig.canvas.draw()\nplt.close(fig)")
        shell.run_cell("fig, ax = plt.subplots()\nax.plot([0, 1])\nax.set_title('fine')\nfig.canvas.draw()")
    finally:
        uninstall()
        InteractiveShell.clear_instance()
    lines = report.read_text().splitlines()
    assert len(lines) == 1 and "neither a title nor axis labels" in lines[0]
