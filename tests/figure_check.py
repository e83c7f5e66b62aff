"""The figure check: every figure a lecture draws is one a student can read.

Rules, for each figure as it is drawn (matplotlib's ``Figure.draw``, so figures shown with
``plt.show()``, ``display`` or the inline backend's end-of-cell flush are all seen):

- every axes that holds data (lines, collections, patches, images) has a title or an axis
  label; an image panel with its axis switched off (a grid of digits) may instead rely on a
  title elsewhere in the figure;
- every axes with two or more labelled series has a legend, or a legend elsewhere in the
  figure names all of them (panels that share one legend);
- no two titles of a figure overlap, and none sticks out of the figure.

``install(report)`` runs in a notebook's kernel (``conftest.py`` puts an IPython startup file
that calls it into the kernel's profile while ``make test`` runs the lectures): after every
cell it appends, as JSON lines to ``report``, the problems of the figures drawn during that
cell, judged at their last drawing (a live plot is judged when it is finished). conftest
reads them after each cell and fails that cell's test with them.
"""
from __future__ import annotations

import json


def _has_data(ax) -> bool:
    return bool(ax.lines or ax.collections or ax.images or ax.patches)


def _titles(ax) -> list:
    return [t for t in (ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None))
            if t is not None and t.get_text().strip() and t.get_visible()]


def _name(fig) -> str:
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return repr(suptitle.get_text().strip()[:60])
    for ax in fig.axes:
        for title in _titles(ax):
            return repr(title.get_text().strip()[:60])
    return f"with {len(fig.axes)} axes"


def _labelled_series(ax) -> list[str]:
    artists = [*ax.lines, *ax.collections, *ax.patches, *ax.images]
    return [a.get_label() for a in artists if a.get_label() and not str(a.get_label()).startswith("_")]


def problems(fig, renderer) -> list[str]:
    """What a reader would trip over in a drawn figure, one sentence each ([] if nothing)."""
    found = []
    axes = [ax for ax in fig.axes if ax.get_visible() and not hasattr(ax, "_colorbar")]
    suptitle = getattr(fig, "_suptitle", None)
    figure_titled = (suptitle is not None and suptitle.get_text().strip()) or any(_titles(ax) for ax in axes)
    # a legend anywhere in the figure (one panel's, or the figure's) may name the series of every panel
    legends = [ax.get_legend() for ax in axes if ax.get_legend() is not None] + list(fig.legends)
    legend_texts = {text.get_text() for legend in legends for text in legend.get_texts()}
    untitled, unexplained = 0, []
    for ax in axes:
        if not _has_data(ax):
            continue
        titled = _titles(ax) or ax.get_xlabel().strip() or ax.get_ylabel().strip()
        image_panel = ax.images and not ax.axison
        if not titled and not (image_panel and figure_titled):
            untitled += 1
        series = _labelled_series(ax)
        if len(series) >= 2 and ax.get_legend() is None and not set(series) <= legend_texts:
            unexplained.append(series)
    for series in unexplained:
        text = (f"{len(series)} labelled series ({', '.join(map(repr, series[:3]))}{', ...' if len(series) > 3 else ''})"
                " without a legend that names them")
        count = sum(1 for other in unexplained if other == series)
        message = f"{'an axes shows' if count == 1 else f'{count} axes show'} {text}"
        if message not in found:
            found.append(message)
    if untitled:
        found.append(f"{untitled} axes with data {'has' if untitled == 1 else 'have'} neither a title nor axis labels")
    texts = [t for ax in axes for t in _titles(ax)]
    if suptitle is not None and suptitle.get_text().strip() and suptitle.get_visible():
        texts.append(suptitle)
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if boxes[i].overlaps(boxes[j]):
                found.append(f"the titles {texts[i].get_text()[:40]!r} and {texts[j].get_text()[:40]!r} overlap")
    figure_box = fig.bbox
    for text, box in zip(texts, boxes):
        if box.x0 < figure_box.x0 - 1 or box.x1 > figure_box.x1 + 1 or box.y1 > figure_box.y1 + 1:
            found.append(f"the title {text.get_text()[:40]!r} is cut off at the edge of the figure")
    return found


def install(report: str):
    """Check every figure drawn in this kernel; after each cell, append its problems to ``report``.
    Returns a function that undoes the installation."""
    import matplotlib.figure
    from IPython import get_ipython

    shell = get_ipython()
    original_draw = matplotlib.figure.Figure.draw
    latest: dict[int, tuple[str, list[str]]] = {}  # figure id -> (its name, problems at its last drawing)

    def draw(self, renderer):
        result = original_draw(self, renderer)
        try:
            latest[id(self)] = (_name(self), problems(self, renderer))
        except Exception as error:  # a rule that cannot read a figure must not break the lecture
            latest[id(self)] = (_name(self), [f"the figure check could not read this figure ({error!r})"])
        return result

    def after_cell(result):
        found = [f"figure {name}: {problem}" for name, figure_problems in latest.values() for problem in figure_problems]
        latest.clear()
        if found:
            with open(report, "a") as out:
                out.write(json.dumps({"cell": result.info.raw_cell[:80] if result.info else "",
                                      "problems": found}) + "\n")

    matplotlib.figure.Figure.draw = draw
    shell.events.register("post_run_cell", after_cell)

    def uninstall():
        matplotlib.figure.Figure.draw = original_draw
        shell.events.unregister("post_run_cell", after_cell)

    return uninstall
