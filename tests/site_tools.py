"""Reading the built course website (website/_build/html), for tests/test_site.py.

What a page links to and shows, and the instructor-only text (solutions, hidden tests) that
must never reach any page.
"""
from __future__ import annotations

import html
import importlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
WEBSITE = REPO / "website"
HTML = WEBSITE / "_build" / "html"
LECTURES = sorted((REPO / "lectures").glob("*.ipynb"))
ASSIGNMENTS = sorted((REPO / "assignments").glob("*/*.ipynb"))
SOLUTIONS = sorted((REPO / "solutions").glob("*/*.ipynb"))

SECRET_REGIONS = [("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")]
# A line shorter than this (`return x`, `pass`, `else:`) says nothing about a solution.
MEANINGFUL_CHARACTERS = 16


class Page(HTMLParser):
    """One HTML page: its links (href/src of every element) and its text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.images: list[dict] = []                 # attributes of <img> inside a cell's output
        self._text: list[str] = []
        self._output_depth = 0
        self._depth_stack: list[bool] = []
        self.feed(path.read_text(encoding="utf-8", errors="replace"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append((tag, name, attributes[name]))
        is_output = "cell_output" in (attributes.get("class") or "").split()
        if tag not in VOID_TAGS:
            self._depth_stack.append(is_output)
            self._output_depth += is_output
        if tag == "img" and self._output_depth:
            self.images.append(attributes)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self._depth_stack:
            self._output_depth -= self._depth_stack.pop()

    def handle_data(self, data):
        self._text.append(data)

    @property
    def text(self) -> str:
        return "".join(self._text)


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def pages(root: Path = HTML) -> list[Path]:
    """The site's pages (not the theme's HTML templates in _static)."""
    return sorted(path for path in root.rglob("*.html") if "_static" not in path.relative_to(root).parts)


def lecture_page(notebook: Path, root: Path = HTML) -> Path:
    return root / "lectures" / f"{notebook.stem}.html"


def assignment_page(notebook: Path, root: Path = HTML) -> Path:
    return root / "assignments" / notebook.parent.name / f"{notebook.stem}.html"


def broken_links(page: Page, root: Path = HTML) -> list[str]:
    """Relative href/src targets of the page that are not files of the site."""
    broken = []
    for tag, attribute, value in page.links:
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith(("#", "//")):
            continue  # another scheme (https:, mailto:, data:) or an anchor on this page
        target = value.split("#")[0].split("?")[0]
        resolved = (page.path.parent / html.unescape(target)).resolve()
        if not resolved.exists() or root.resolve() not in (resolved, *resolved.parents):
            broken.append(f"<{tag} {attribute}={value!r}>")
    return broken


def remote_resources(page: Page) -> list[str]:
    """What the page would fetch from the network to display itself (scripts, styles,
    images, frames from a CDN); links a reader may follow (<a href>) do not count."""
    return [f"<{tag} {attribute}={value!r}>" for tag, attribute, value in page.links
            if tag != "a" and re.match(r"(https?:)?//", value)]


def image_outputs(notebook) -> int:
    """Outputs of an executed notebook that the page shows as an image (an HTML output
    would be shown as HTML instead)."""
    count = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(key.startswith("image/") for key in data) and "text/html" not in data:
                count += 1
    return count


def draws(notebook_path: Path) -> bool:
    """Whether a lecture's code draws (matplotlib or the course's plotting helpers)."""
    source = "\n".join(c.source for c in nbformat.read(notebook_path, as_version=4).cells if c.cell_type == "code")
    return bool(re.search(r"\bplt\.|plotting\.|image_grid\(|decision_boundary\(|\.imshow\(", source))


def website_module(name: str):
    """website/<name>.py, imported (the website's folder is not a package)."""
    if str(WEBSITE) not in sys.path:
        sys.path.insert(0, str(WEBSITE))
    return importlib.import_module(name)


def executed_lecture(notebook_path: Path):
    """The executed copy of a lecture that the site was built from (its execution cache)."""
    from jupyter_cache import get_cache

    cache = get_cache(str(website_module("executed").CACHE))
    record = cache.match_cache_notebook(nbformat.read(notebook_path, as_version=4))
    return cache.get_cache_bundle(record.pk).nb


# --- instructor-only text ----------------------------------------------------------------
def normalise(text: str) -> str:
    return " ".join(text.split())


def secret_lines(notebook) -> list[str]:
    """Lines only the instructor may see: inside solution and hidden-test regions, and whole
    solution cells without markers (nbgrader replaces those entirely)."""
    found = []
    for cell in notebook.cells:
        lines = cell.source.splitlines()
        marked = False
        for begin, end in SECRET_REGIONS:
            inside = False
            for line in lines:
                if line.strip().startswith(begin):
                    inside, marked = True, True
                elif line.strip().startswith(end):
                    inside = False
                elif inside:
                    found.append(line)
        if not marked and cell.metadata.get("nbgrader", {}).get("solution"):
            found += lines
    return found


def meaningful(lines: list[str], public_text: str) -> list[str]:
    """The lines worth looking for: long enough to identify a solution, and not text the
    course publishes anyway (text of the student release or a lecture is no leak, even as
    part of a longer line)."""
    public = normalise(public_text)
    kept = []
    for line in lines:
        line = normalise(line)
        if len(line) >= MEANINGFUL_CHARACTERS and not line.startswith("#") and line not in public:
            kept.append(line)
    return sorted(set(kept))


def published_source_text() -> str:
    """The text of every notebook the site shows (lectures and student releases)."""
    return "\n".join(cell.source for path in LECTURES + ASSIGNMENTS
                     for cell in nbformat.read(path, as_version=4).cells)


def solution_secrets() -> list[str]:
    lines = [line for path in SOLUTIONS for line in secret_lines(nbformat.read(path, as_version=4))]
    return meaningful(lines, published_source_text())


def site_texts(root: Path = HTML):
    """(path, whitespace-normalised text) of every text file of the site: each page's text
    and raw HTML, the search index, sources and scripts."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt", ".js", ".ipynb", ".md", ".json", ".py"}:
            continue
        if "_static" in path.relative_to(root).parts and path.name != "searchindex.js":
            continue  # the theme's and MathJax's own files
        raw = path.read_text(encoding="utf-8", errors="replace")
        yield path, normalise(Page(path).text if path.suffix == ".html" else raw)
        if path.suffix == ".html":
            yield path, normalise(html.unescape(raw))


def leaks(secrets: list[str], root: Path = HTML) -> list[str]:
    """'page: line' for every secret line found in the site."""
    found = set()
    for path, text in site_texts(root):
        for line in secrets:
            if line in text:
                found.add(f"{path.relative_to(root)}: {line}")
    return sorted(found)
