"""Proof that an assignment's grader works, run by `dlcourse check` and by `make test`.

For each assignment, in a temporary copy of the course:

- drift: regenerating the release from solutions/ gives the committed assignments/ notebook;
- round trip: the solution scores full marks, the untouched release scores zero, and every
  mutant in course/mutants/<assignment>/ (one plausible student mistake each, written as small
  edits of one solution cell) scores less, losing points on that function's test;
- bad submissions: an infinite loop, an edited locked cell, a deleted cell, a notebook that
  raises at the top, a kernel that dies, and invalid JSON are each graded as far as possible
  and reported in one line, while the rest of the class is graded.
"""
from __future__ import annotations

import ast
import contextlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .autograde import Outcome, autograde, part_scores
from .course import Assignment, Course, CourseError
from .submissions import collect

# A bad submission's infinite loop (planted in an answer cell) is cut off after this many
# seconds in the check; other cells keep the minute the real course allows. Every answer
# cell of the solutions runs in well under a second; the margin is for a machine that is
# also running the lectures (make test) or shares its cores with other jobs (CI).
CHECK_CELL_TIMEOUT = 20


@dataclass
class Expectation:
    """One submission the check grades, and what its grade must be."""

    student: str
    kind: str  # solution, release, mutant, bad
    description: str
    notebook: str  # the notebook's JSON text
    broken_part: str | None = None  # mutants: the test cell that must lose points
    expect_note: str | None = None  # bad submissions: text the instructor's note must contain


@dataclass
class Verdict:
    expectation: Expectation
    outcome: Outcome
    parts: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@contextlib.contextmanager
def temporary_course(course: Course):
    """A throw-away copy of the course (config, solutions, releases) with its own SQLite gradebook."""
    with tempfile.TemporaryDirectory(prefix="dlcourse-check-") as scratch:
        root = Path(scratch)
        shutil.copytree(course.source_dir, root / course.source_dir.relative_to(course.root))
        if course.release_dir.is_dir():
            shutil.copytree(course.release_dir, root / course.release_dir.relative_to(course.root))
        copy_dir = root / course.course_dir.relative_to(course.root)
        copy_dir.mkdir(parents=True, exist_ok=True)
        config = (course.course_dir / "nbgrader_config.py").read_text()
        # Answer cells get a few seconds, so a planted infinite loop is cut off quickly; set-up and
        # test cells keep the time real grading gives them (the course's, or what a cell declares).
        config += ("\n# dlcourse check: cut infinite loops in answer cells short\n"
                   "from dlcourse.grading.time_limits import CellTimeLimits\n"
                   "c.Execute.timeout_func = CellTimeLimits(\n"
                   f"    default=c.Execute.get('timeout', 60), answers={CHECK_CELL_TIMEOUT})\n")
        (copy_dir / "nbgrader_config.py").write_text(config)
        yield Course(copy_dir, db_url=f"sqlite:///{copy_dir / 'gradebook.db'}")


def _normalised(nb) -> list:
    """What must not drift: each cell's type, source and nbgrader metadata, and the kernel."""
    cells = [(c.cell_type, c.source, c.metadata.get("nbgrader", {})) for c in nb.cells]
    return [nb.metadata.get("kernelspec", {}).get("name"), *cells]


def drift(course: Course, assignment: Assignment) -> list[str]:
    """Differences between the committed release and one regenerated from the source."""
    committed = course.release_dir / assignment.name / f"{assignment.notebook}.ipynb"
    if not committed.is_file():
        return [f"{assignment.name}: no committed release; run `dlcourse release {assignment.name}`"]
    with tempfile.TemporaryDirectory() as scratch:
        result = course.api(release_directory=scratch, db_url=f"sqlite:///{Path(scratch) / 'drift.db'}") \
            .generate_assignment(assignment.name, force=True, create=True)
        if not result["success"]:
            return [f"{assignment.name}: nbgrader could not generate the release: {(result.get('error') or '').strip()[-300:]}"]
        fresh = nbformat.read(Path(scratch) / assignment.name / f"{assignment.notebook}.ipynb", as_version=4)
    old, new = _normalised(nbformat.read(committed, as_version=4)), _normalised(fresh)
    if old == new:
        return []
    if len(old) != len(new):
        return [f"{assignment.name}: the committed release has {len(old) - 1} cells, a fresh one {len(new) - 1}; "
                f"run `dlcourse release {assignment.name}`"]
    index = next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
    where = "the kernelspec" if index == 0 else f"cell {index - 1}"
    return [f"{assignment.name}: the committed release differs from a fresh one at {where}; "
            f"run `dlcourse release {assignment.name}`"]


# --- mutants ----------------------------------------------------------------------------
# A mutant is one plausible student mistake, stored as data beside the course in
# course/mutants/<assignment>/<mistake>.py:
#
#     """Uses z >= 0, so the derivative at the kink z = 0 is 1 instead of PyTorch's 0."""
#     FUNCTION = "relu_grad"
#     EDITS = [
#         ("    return (np.asarray(z) > 0).astype(float)",
#          "    return (np.asarray(z) >= 0).astype(float)"),
#     ]
#
# FUNCTION is the grade_id of the solution cell the mistake is made in; each (old, new) pair
# replaces a text that occurs exactly once in that cell's CURRENT source, as a student sees it
# (without the solution markers). Edits, not copies: a fix to the solution reaches every
# mutant of it, and a mutant whose text is gone fails loudly. The file is read with `ast` and
# never run.


class MutantError(CourseError):
    """A mutant file that is not a mutant, or whose edits no longer fit the solution."""


@dataclass(frozen=True)
class Mutant:
    """One plausible student mistake: text edits of one solution cell."""

    path: Path
    mistake: str  # the docstring: what the student got wrong
    function: str  # the grade_id of the solution cell the edits apply to
    edits: tuple[tuple[str, str], ...]  # (old text, new text), applied in order

    @property
    def name(self) -> str:
        """How messages name the file: <assignment>/<mistake>.py."""
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def student(self) -> str:
        return f"mutant-{self.path.stem}"


def _is_pair_of_texts(edit) -> bool:
    return isinstance(edit, (tuple, list)) and len(edit) == 2 and all(isinstance(t, str) for t in edit)


def read_mutant(path: Path) -> Mutant:
    """The mutant stored in `path`, read as data (parsed, never executed).

    Raises MutantError, one sentence saying what is wrong and what to do, for a file that is
    not valid Python, has no docstring, or holds anything but FUNCTION and EDITS literals."""
    name = f"{path.parent.name}/{path.name}"
    try:
        tree = ast.parse(path.read_text(), filename=str(path))
    except SyntaxError as error:
        raise MutantError(f"mutant {name} is not valid Python (line {error.lineno}: {error.msg}); "
                          "fix it so that it holds only a docstring, FUNCTION and EDITS.") from None
    mistake = ast.get_docstring(tree)
    if not mistake:
        raise MutantError(f"mutant {name} has no docstring; start it with one sentence naming the student's "
                          "mistake.")
    values = {}
    for node in tree.body[1:]:
        target = node.targets[0].id if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name) else None
        if target not in ("FUNCTION", "EDITS"):
            raise MutantError(f"mutant {name} holds code on line {node.lineno} besides its docstring, FUNCTION and "
                              "EDITS; a mutant file is data and is never run, so remove that line.")
        try:
            values[target] = ast.literal_eval(node.value)
        except ValueError:
            raise MutantError(f"mutant {name} computes its {target} on line {node.lineno}; write it out as plain "
                              "strings, since a mutant file is data and is never run.") from None
    function, edits = values.get("FUNCTION"), values.get("EDITS")
    if not isinstance(function, str) or not function:
        raise MutantError(f"mutant {name} names no FUNCTION; add "
                          "FUNCTION = \"<grade_id of the solution cell it edits>\".")
    if not (isinstance(edits, list) and edits and all(_is_pair_of_texts(e) for e in edits)):
        raise MutantError(f"mutant {name} has no EDITS list of (old, new) text pairs; add "
                          "EDITS = [(\"text in the solution cell\", \"the mistaken text\")].")
    return Mutant(path, mistake, function, tuple((old, new) for old, new in edits))


def _quoted(text: str) -> str:
    """A text for a one-line message: its first line, and how many lines follow."""
    lines = text.split("\n")
    more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
    return f"{lines[0].strip()!r}{more}"


def apply_edits(mutant: Mutant, source: str) -> str:
    """The source of the solution cell `mutant.function` with the mutant's edits made, in order.

    Raises MutantError when an old text does not occur exactly once (the solution changed
    since the mutant was written, or the text is ambiguous)."""
    for old, new in mutant.edits:
        found = source.count(old)
        if found == 0:
            raise MutantError(f"mutant {mutant.name} no longer applies: the solution cell {mutant.function} has no "
                              f"text {_quoted(old)}; update that edit's old text to the current solution.")
        if found > 1:
            raise MutantError(f"mutant {mutant.name} is ambiguous: the text {_quoted(old)} occurs {found} times "
                              f"in the solution cell {mutant.function}; widen it by a neighbouring line so it "
                              "occurs once.")
        source = source.replace(old, new)
    return source


def without_solution_markers(source: str) -> str:
    """A solution cell's source as a student who solved it hands it in: the marker lines removed."""
    return "\n".join(line for line in source.split("\n")
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def answers(notebook: dict) -> dict[str, str]:
    """grade_id -> source of each solution cell of a notebook (JSON dict), solution markers removed."""
    return {c["metadata"]["nbgrader"]["grade_id"]: without_solution_markers("".join(c["source"]))
            for c in notebook["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def mutated_source(mutant: Mutant, notebook: dict) -> str:
    """The source of the cell `mutant.function` of a solution notebook, with the mistake made."""
    cells = answers(notebook)
    if mutant.function not in cells:
        raise MutantError(f"mutant {mutant.name} edits FUNCTION {mutant.function!r}, but the solution has no solution "
                          f"cell with that grade_id; set FUNCTION to one of {', '.join(cells)}.")
    return apply_edits(mutant, cells[mutant.function])


def mutate(solution: dict, mutant: Mutant) -> dict:
    """A copy of the solution notebook (as a student hands it in) with the mutant's mistake in it."""
    source = mutated_source(mutant, solution)
    nb = json.loads(json.dumps(solution))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") == mutant.function:
            cell["source"] = source
    return nb


def mutant_files(mutants_root: Path, assignment: Assignment) -> list[Path]:
    folder = mutants_root / assignment.name
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


def mutants(mutants_root: Path, assignment: Assignment) -> list[Mutant]:
    """The assignment's mutants, read; MutantError names the first file that is not one."""
    return [read_mutant(path) for path in mutant_files(mutants_root, assignment)]


BAD_SUBMISSIONS = ("bad-infinite-loop", "bad-edited-test", "bad-deleted-cell", "bad-raises-at-top",
                   "bad-kernel-dies", "bad-invalid-json")


def submission_names(assignment: Assignment, mutants_root: Path) -> list[str]:
    """The student ids the round trip grades, in order, without building the notebooks."""
    mutants = [f"mutant-{p.stem}" for p in mutant_files(mutants_root, assignment)]
    return ["solution", "release", *mutants, *BAD_SUBMISSIONS]


def convention_problems(assignment: Assignment, mutants_root: Path) -> list[str]:
    """Where the source breaks the conventions of course/README.md, one sentence each."""
    nb = nbformat.read(assignment.source, as_version=4)
    problems = []
    cells = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    for index, meta in enumerate(cells):
        if meta.get("solution") and nb.cells[index].cell_type == "code":
            following = cells[index + 1] if index + 1 < len(cells) else {}
            if not (following.get("grade") and following.get("grade_id") == f"test_{meta['grade_id']}"):
                problems.append(f"solution cell {meta['grade_id']} is not followed by its test cell test_{meta['grade_id']}")
        elif meta.get("grade") and not meta.get("solution") and nb.cells[index].cell_type == "code":
            function = meta.get("grade_id", "").removeprefix("test_")
            first = nb.cells[index].source.lstrip().split("\n", 1)[0]
            if first != f'with checks.tests_of("{function}"):':
                problems.append(f"test cell {meta.get('grade_id')} does not start with "
                                f'`with checks.tests_of("{function}"):`, which reports all of its failing checks '
                                "to the student and prints its pass line")
    source = json.loads(nbformat.writes(nb))
    mutated = set()
    for path in mutant_files(mutants_root, assignment):
        try:
            mutant = read_mutant(path)
            if mutated_source(mutant, source) == answers(source)[mutant.function]:
                problems.append(f"mutant {mutant.name} changes nothing in {mutant.function}; make its edits "
                                "put the student's mistake in.")
            mutated.add(f"test_{mutant.function}")
        except MutantError as error:
            problems.append(str(error))
    untested = [p.grade_id for p in assignment.parts if p.grade_id not in mutated]
    if untested:
        problems.append(f"no mutant breaks the function of {', '.join(untested)}")
    if len(mutant_files(mutants_root, assignment)) < 3:
        problems.append("fewer than three mutants")
    return problems


def _bad_submissions(solution: dict, assignment: Assignment) -> list[Expectation]:
    """Damaged copies of the solution, each with what the instructor must be told."""
    def copy():
        return json.loads(json.dumps(solution))

    cells = solution["cells"]
    solution_cells = [i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("solution")]
    test_cells = [i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("grade")]
    first_solution = solution_cells[0]
    looped_part = next(cells[i]["metadata"]["nbgrader"]["grade_id"] for i in test_cells if i > first_solution)
    last_test = test_cells[-1]
    bad = []

    nb = copy()
    # The loop comes before the def, so after the interrupt the function does not exist.
    nb["cells"][first_solution]["source"] = "while True:\n    pass\n\n" + "".join(nb["cells"][first_solution]["source"])
    bad.append(Expectation("bad-infinite-loop", "bad", "an infinite loop in the first solution cell",
                           json.dumps(nb), broken_part=looped_part, expect_note="time limit"))

    nb = copy()
    edited = nb["cells"][test_cells[0]]
    edited["source"] = "# the student replaced the tests\npass\n"
    bad.append(Expectation("bad-edited-test", "bad", "a locked test cell edited to `pass`",
                           json.dumps(nb), expect_note="was edited"))

    nb = copy()
    del nb["cells"][last_test]
    bad.append(Expectation("bad-deleted-cell", "bad", "a locked test cell deleted",
                           json.dumps(nb), expect_note="was deleted"))

    nb = copy()
    nb["cells"].insert(0, nbformat.v4.new_code_cell("raise RuntimeError('left over from debugging')"))
    bad.append(Expectation("bad-raises-at-top", "bad", "a cell that raises before everything else", json.dumps(nb)))

    nb = copy()
    nb["cells"].insert(last_test, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    # Graded as far as it got: every test before the death keeps its points, the last scores 0.
    bad.append(Expectation("bad-kernel-dies", "bad", "a cell that kills the kernel before the last test",
                           json.dumps(nb), broken_part=cells[last_test]["metadata"]["nbgrader"]["grade_id"],
                           expect_note="kernel died"))

    bad.append(Expectation("bad-invalid-json", "bad", "a file that is not JSON",
                           '{"cells": [ this is not json', expect_note="not valid JSON"))
    return bad


def student_version(source: dict, release: dict) -> dict:
    """The release with every solution cell answered as the source answers it: what a
    student who solved everything would hand in (no hidden tests, locked cells intact)."""
    solved = answers(source)
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id in solved:
            cell["source"] = solved[grade_id]
    return nb


def expectations(course: Course, assignment: Assignment, mutants_root: Path) -> list[Expectation]:
    release_text = (course.release_dir / assignment.name / f"{assignment.notebook}.ipynb").read_text()
    solution = student_version(json.loads(assignment.source.read_text()), json.loads(release_text))
    found = [Expectation("solution", "solution", "the instructor's solution, as a student hands it in",
                         json.dumps(solution)),
             Expectation("release", "release", "the untouched release", release_text)]
    for mutant in mutants(mutants_root, assignment):
        found.append(Expectation(mutant.student, "mutant", mutant.mistake.splitlines()[0],
                                 json.dumps(mutate(solution, mutant)), broken_part=f"test_{mutant.function}"))
    return found + _bad_submissions(solution, assignment)


def _judge(e: Expectation, outcome: Outcome, parts: dict[str, float], assignment: Assignment) -> list[str]:
    points = {p.grade_id: p.points for p in assignment.parts}
    notes = " ".join(outcome.notes)
    problems = []
    if e.expect_note and e.expect_note not in notes:
        problems.append(f"the instructor was not told ({e.expect_note!r} missing from: {notes or 'no notes'})")
    if e.student == "bad-invalid-json":
        if outcome.graded:
            problems.append("a notebook that cannot be graded to the end was given a score")
        return problems
    if not outcome.graded:
        return problems + [f"not graded: {notes}"]
    full = assignment.max_score
    if e.kind == "solution" and outcome.score != full:
        lost = {k: v for k, v in parts.items() if v < points.get(k, 0)}
        problems.append(f"scored {outcome.score:g} of {full:g}; parts below full marks: {lost}")
    elif e.kind == "release" and outcome.score != 0:
        problems.append(f"the untouched release scored {outcome.score:g}; its tests must fail on the stubs")
    elif e.kind == "mutant":
        if outcome.score >= full:
            problems.append(f"the mutant scored full marks ({outcome.score:g}); no test caught it")
        elif parts.get(e.broken_part, 0) >= points.get(e.broken_part, 0):
            problems.append(f"the mutant lost points elsewhere ({outcome.score:g}/{full:g}) but {e.broken_part} "
                            "still gave full marks")
    elif e.student == "bad-kernel-dies":
        if outcome.score != full - points[e.broken_part] or parts.get(e.broken_part, 0) != 0:
            problems.append(f"scored {outcome.score:g} of {full:g}; every test before the kernel died should keep "
                            f"its points and {e.broken_part}, after it, none")
    elif e.kind == "bad":
        if e.broken_part:
            if parts.get(e.broken_part, 0) != 0:
                problems.append(f"{e.broken_part} should score 0, scored {parts.get(e.broken_part)}")
            if outcome.score <= 0:
                problems.append("nothing else was graded")
        elif outcome.score != full:
            problems.append(f"scored {outcome.score:g} of {full:g}; the damage should have been repaired")
    return problems


def round_trip(course: Course, assignment: Assignment, mutants_root: Path, jobs: int | None = None,
               sandbox: bool | None = None) -> list[Verdict]:
    """Grade the solution, the release, every mutant and every bad submission in one class."""
    with tempfile.TemporaryDirectory() as scratch:
        inbox = Path(scratch)
        cases = expectations(course, assignment, mutants_root)
        for e in cases:
            (inbox / f"{e.student}.ipynb").write_text(e.notebook)
        collect(course, assignment.name, inbox)
    if sandbox is None:
        from .sandbox import unavailable_reason

        sandbox = unavailable_reason() is None
    outcomes = {o.student: o for o in autograde(course, assignment.name, jobs=jobs, sandbox=sandbox)}
    verdicts = []
    for e in cases:
        outcome = outcomes[e.student]
        parts = part_scores(course, assignment.name, e.student) if outcome.graded else {}
        verdicts.append(Verdict(e, outcome, parts, _judge(e, outcome, parts, assignment)))
    return verdicts


def check(course: Course, assignment_names: list[str], mutants_root: Path, jobs: int | None = None,
          sandbox: bool | None = None):
    """Drift and round trip for each assignment; yields (assignment, drift problems, verdicts).

    Graded in a sandbox where one can be had (``sandbox=None``), as real grading is."""
    for name in assignment_names:
        assignment = course.assignment(name)
        problems = drift(course, assignment)
        with temporary_course(course) as scratch_course:
            verdicts = round_trip(scratch_course, scratch_course.assignment(name), mutants_root, jobs=jobs,
                                  sandbox=sandbox)
        yield assignment, problems, verdicts
