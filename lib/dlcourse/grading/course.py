"""The course on disk: where it is, its nbgrader configuration, its assignments and their points.

An assignment is a folder ``solutions/<id>/`` holding the nbgrader source notebook
``<id>.ipynb``; its graded parts are the autograded test cells (``grade_id`` and points).
"""
from __future__ import annotations

import copy
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

CONFIG_NAME = "nbgrader_config.py"


class CourseError(Exception):
    """A problem an instructor can fix; the message says what and how."""


@dataclass(frozen=True)
class Part:
    """One autograded test cell: its grade_id and the points it is worth."""

    grade_id: str
    points: float


@dataclass(frozen=True)
class Assignment:
    name: str
    source: Path  # solutions/<name>/<name>.ipynb
    parts: tuple[Part, ...]

    @property
    def notebook(self) -> str:
        return self.source.stem

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.parts)


def find_course_dir(start: Path | None = None) -> Path:
    """The folder holding nbgrader_config.py: $DLCOURSE_COURSE_DIR, else course/ found upward from start."""
    if os.environ.get("DLCOURSE_COURSE_DIR"):
        folder = Path(os.environ["DLCOURSE_COURSE_DIR"]).resolve()
        if not (folder / CONFIG_NAME).is_file():
            raise CourseError(f"DLCOURSE_COURSE_DIR is {folder}, which has no {CONFIG_NAME}; point it at the course/ folder.")
        return folder
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder, folder / "course"):
            if (candidate / CONFIG_NAME).is_file():
                return candidate
    raise CourseError(
        f"No course found from {here}: run dlcourse inside the course repository "
        f"(it looks for course/{CONFIG_NAME}) or set DLCOURSE_COURSE_DIR."
    )


class Course:
    """A course directory and its nbgrader configuration."""

    def __init__(self, course_dir: Path | None = None, db_url: str | None = None, config=None):
        """The course in ``course_dir`` (found from here if None), configured by its
        nbgrader_config.py, or by ``config`` (a traitlets Config, copied) when given."""
        self.course_dir = Path(course_dir).resolve() if course_dir else find_course_dir()
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        self.config = (Config(copy.deepcopy(config)) if config is not None
                       else PyFileConfigLoader(CONFIG_NAME, path=str(self.course_dir)).load_config())
        directory = self.config.CourseDirectory
        directory.db_url = gradebook_url(db_url or directory.db_url)
        self.root = Path(directory.root)
        self.source_dir = self.root / directory.source_directory
        self.release_dir = self.root / directory.release_directory
        self.submitted_dir = self.root / directory.submitted_directory
        self.autograded_dir = self.root / directory.autograded_directory
        self.feedback_dir = self.root / directory.feedback_directory
        self.db_url = directory.db_url

    # --- assignments -------------------------------------------------------------------
    def assignments(self) -> list[Assignment]:
        found = []
        for folder in sorted(p for p in self.source_dir.iterdir() if p.is_dir()) if self.source_dir.is_dir() else []:
            source = folder / f"{folder.name}.ipynb"
            if source.is_file():
                found.append(Assignment(folder.name, source, _graded_parts(source)))
        return found

    def assignment(self, name: str) -> Assignment:
        known = {a.name: a for a in self.assignments()}
        if name not in known:
            listed = ", ".join(known) or "none yet (add solutions/<id>/<id>.ipynb)"
            raise CourseError(f"There is no assignment {name!r}; the course has: {listed}.")
        return known[name]

    # --- nbgrader ----------------------------------------------------------------------
    def hidden_paths(self) -> list[Path]:
        """What no submission may see while it is graded: the sources and the course folder with
        the gradebook and every submission. (The sandbox binds in only the Python environment and
        the course library; this list keeps it from binding a folder that holds one of these.)"""
        paths = [self.source_dir, self.course_dir, self.submitted_dir, self.autograded_dir, self.feedback_dir]
        return [p.resolve() for p in paths]

    def api(self, db_url: str | None = None, sandbox: bool | None = None, **directories):
        """An NbGraderAPI on this course, optionally on another gradebook or folders
        (``release_directory=...`` and the other CourseDirectory settings).

        With ``sandbox`` True or False, autograding executes submissions with
        ``dlcourse.grading.executor.GradingExecute`` (guarded checks, capped output, partial
        grades after a kernel death), in a sandbox if True.
        """
        from nbgrader.apps import NbGraderAPI
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.preprocessors import Execute
        from traitlets.config import Config

        config = Config(self.config)
        if db_url:
            config.CourseDirectory.db_url = db_url
        for name, value in directories.items():
            setattr(config.CourseDirectory, name, value)
        if sandbox is not None:
            from .executor import GradingExecute

            steps = config.Autograde.get("autograde_preprocessors") or Autograde.class_traits()["autograde_preprocessors"].default()
            executors = {dotted_name(Execute), dotted_name(GradingExecute)}
            config.Autograde.autograde_preprocessors = [
                dotted_name(GradingExecute) if dotted_name(step) in executors else step for step in steps]
            config.GradingExecute.sandbox = sandbox
            # The course's own folders, and any the configuration names (a cluster worker grades in a
            # scratch copy of the course on a machine that may also hold the real one).
            configured = config.SandboxedKernelManager.get("hidden_paths") or []
            config.SandboxedKernelManager.hidden_paths = list(dict.fromkeys([*map(str, self.hidden_paths()), *configured]))
        coursedir = CourseDirectory(config=config)
        # The API probes nbgrader's exchange (used only on JupyterHub) and logs a CRITICAL
        # line when it is absent; grading a local course does not need it.
        quiet = _DropExchangeWarning()
        logger = logging.getLogger("traitlets")
        logger.addFilter(quiet)
        try:
            return NbGraderAPI(coursedir=coursedir, config=config)
        finally:
            logger.removeFilter(quiet)

    @contextmanager
    def gradebook(self, db_url: str | None = None):
        """nbgrader's Gradebook, open; a gradebook that cannot be read ends in one sentence."""
        from nbgrader.api import Gradebook
        from sqlalchemy.exc import DatabaseError

        url = db_url or self.db_url
        try:
            with Gradebook(url, course_id=self.config.CourseDirectory.course_id) as gradebook:
                yield gradebook
        except DatabaseError as error:
            raise CourseError(unreadable_gradebook(url, error)) from None


def gradebook_url(url: str) -> str:
    """The SQLAlchemy URL of a gradebook, a PostgreSQL one through psycopg 3 (the driver the
    course installs): ``postgresql://`` alone would make SQLAlchemy look for psycopg2."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


# What a database server's refusal means, and what to do: (words in its message, advice).
_SERVER_ADVICE = [
    (("password authentication failed", "no password supplied"),
     "the server refused the user name or password: correct them in DLCOURSE_DB_URL"),
    (("does not exist",), "the server has no such database or user: create it (createdb) or correct DLCOURSE_DB_URL"),
    (("connection refused", "no such file or directory", "could not translate host name", "timeout expired",
      "name or service not known"),
     "no server answered there: start it, or correct the host in DLCOURSE_DB_URL"),
]


def _shown(url: str) -> str:
    """A database URL as it may be printed: its password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def unreadable_gradebook(url: str, error: Exception) -> str:
    """What to tell an instructor whose gradebook cannot be read."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        backup = path.with_name(f"{path.name}.last-good")
        recover = (f"copy {backup} over it (the gradebook before the last grading run) and grade that run again"
                   if backup.is_file() else "restore it from a backup, or move it away to start a new one")
        return f"The gradebook {path} cannot be read ({reason}); it is damaged: {recover}."
    where = _shown(url)
    lowered = reason.lower()
    for words, advice in _SERVER_ADVICE:
        if any(word in lowered for word in words):
            return f"The gradebook at {where} cannot be used: {advice}."
    return f"The gradebook at {where} cannot be used ({reason}); check that the server runs and the URL is right."


def dotted_name(step) -> str:
    """The import path of a class named in the configuration, as a class or already as its path.

    The course config names nbgrader's preprocessors by path (nbconvert imports them), which
    keeps the configuration JSON-serialisable; code that edits those lists compares paths.
    """
    return step if isinstance(step, str) else f"{step.__module__}.{step.__qualname__}"


class _DropExchangeWarning(logging.Filter):
    def filter(self, record):
        return "Unwritable directory" not in record.getMessage()


def _graded_parts(source: Path) -> tuple[Part, ...]:
    nb = nbformat.read(source, as_version=4)
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            parts.append(Part(meta["grade_id"], float(meta.get("points", 0))))
    return tuple(parts)
