"""Sphinx configuration of the course website (`make site`; pages in website/_build/html).

The source folder is the repository itself (`sphinx-build -c website . ...`), so the pages
keep the repository's paths (lectures/03_....html) and README.md's links to lectures and
assignments resolve as they do on disk. Only what `include_patterns` names becomes a page:
README.md (the front page), the lectures, the student releases in assignments/ (never
solutions/) and the API reference pages this file generates into website/api/.

Lectures are executed by myst-nb in "cache" mode: a lecture whose code is unchanged since it
was last executed (by an earlier build, or by nbval during `make test`, see executed.py) is
taken from the cache in website/_build/jupyter_cache. Assignments are never executed: their
answer cells raise NotImplementedError.
"""
import hashlib
import os
import re
import sys
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
sys.path[:0] = [str(WEBSITE), str(REPO / "lib")]
os.environ.setdefault("KERAS_BACKEND", "torch")

import api_pages  # noqa: E402
import executed  # noqa: E402

# Sphinx re-reads every page when a config value changes, not when this file's code does:
# this value changes with the code that shapes the pages.
dlcourse_site_code = hashlib.sha256(
    b"".join((WEBSITE / name).read_bytes() for name in ("conf.py", "api_pages.py"))).hexdigest()

project = "dlcourse"
author = "the dlcourse authors"
copyright = "the dlcourse authors, MIT licence"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx-mathjax-offline"]

root_doc = "README"
include_patterns = ["README.md", "lectures/*.ipynb", "assignments/*/*.ipynb", "website/api/*.rst"]
exclude_patterns = ["website/_build", ".venv", ".git", "**/.ipynb_checkpoints", "solutions", "course", "tests"]

# --- notebooks ----------------------------------------------------------------------------
nb_execution_mode = "cache"
nb_execution_cache_path = str(executed.CACHE)
nb_execution_excludepatterns = ["assignments/*/*.ipynb"]  # matched from the right
nb_execution_timeout = 300          # seconds per cell, as nbval's --nbval-cell-timeout
nb_execution_in_temp = True         # a lecture must not write into the repository
nb_execution_raise_on_error = True  # a failing lecture fails the build
nb_execution_show_tb = True
# Widgets need ipywidgets' JavaScript from a CDN, and the site works offline: no widget
# view or script; `static_widgets` below puts a note where a lecture shows an explorer.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# --- API reference ------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
autodoc_typehints = "signature"

# --- pages --------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "dlcourse"
html_theme_options = {"show_toc_level": 2, "use_download_button": False}
html_extra_path = [str(WEBSITE / "extra")]
html_show_sourcelink = False
html_copy_source = False


# README.md is the front page as it is on disk; two things change on the way in.
# 1. A link to a repository file that is not a page (benchmarks/RESULTS.md) becomes its text.
# 2. The site's table of contents (lectures, assignments, API) is appended, hidden.
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


def readme_for_the_site(text: str, pages: set[str]) -> str:
    """README.md's text with links to non-page repository files as plain text."""
    def link(match):
        target = match.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        path = target.split("#")[0]
        return match.group(0) if path in pages else match.group(1)
    return LINK.sub(link, text)


def site_pages() -> dict[str, list[str]]:
    """Sections of the table of contents -> documents, in order."""
    return {
        "Lectures": [p.relative_to(REPO).with_suffix("").as_posix() for p in sorted((REPO / "lectures").glob("*.ipynb"))],
        "Assignments": [p.relative_to(REPO).with_suffix("").as_posix()
                        for p in sorted((REPO / "assignments").glob("*/*.ipynb"))],
        "Library": ["website/api/index"],
    }


def source_read(app, docname, source):
    if docname != root_doc:
        return
    pages = {f"{doc}.ipynb" for section in site_pages().values() for doc in section}
    text = readme_for_the_site(source[0], pages)
    for caption, docs in site_pages().items():
        text += f"\n\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n" + "\n".join(docs) + "\n```\n"
    source[0] = text


def docstring_as_written(app, what, name, obj, options, lines):
    """Show a docstring as its author wrote it, for help() and the editor: plain text with
    shapes and equations (|x|, BP1 under a line), not reStructuredText."""
    if any(line.strip() for line in lines):
        lines[:] = ["::", ""] + [f"   {line}" if line.strip() else "" for line in lines] + [""]


WIDGET_REPR = re.compile(r"^[A-Z][A-Za-z]*\((children|value|description|options)=")
WIDGET_NOTE = ("An interactive widget: it works in JupyterLab (`make lab`, then run this lecture), "
               "not on this static page.")


def static_widgets(app, doctree):
    """Widgets need a kernel: show a note where a lecture displays one (instead of its
    text form, "VBox(children=(...") and leave out the widgets' saved state (myst-nb embeds
    it in the page for ipywidgets' JavaScript, which this offline site does not load)."""
    from docutils import nodes

    if hasattr(app.env, "nb_metadata"):
        app.env.nb_metadata.get(app.env.docname, {}).get("js_files", {}).pop("ipywidgets_state", None)
    for block in list(doctree.findall(nodes.literal_block)):
        if "text_plain" in block["classes"] and WIDGET_REPR.match(block.astext()):
            note = nodes.paragraph("", "", nodes.emphasis("", WIDGET_NOTE.replace("`", "")))
            block.replace_self(nodes.container("", note, classes=["output", "widget_note"]))


def builder_inited(app):
    imported = executed.import_staged() + [n for n in os.environ.get("DLCOURSE_SITE_IMPORTED", "").split(",") if n]
    app._dlcourse_imported = [f"lectures/{Path(name).stem}" for name in imported]
    if imported:
        print(f"dlcourse: {len(imported)} lecture(s) executed by nbval taken into the cache")


def reread_imported(app, env, added, changed, removed):
    """A lecture nbval just executed is read again, so its page shows that run's outputs."""
    return [doc for doc in app._dlcourse_imported if doc in env.found_docs]


def setup(app):
    app.add_config_value("dlcourse_site_code", "", "env")
    api_pages.write(WEBSITE / "api")
    app.connect("source-read", source_read)
    app.connect("builder-inited", builder_inited)
    app.connect("autodoc-process-docstring", docstring_as_written)
    app.connect("env-get-outdated", reread_imported)
    app.connect("doctree-read", static_widgets)
