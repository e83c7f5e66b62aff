"""Hostile submissions, graded beside honest classmates: each gets no more than its honest
work earns (none here: every attack replaces the first answer and leaves the rest as stubs),
and nothing else changes.

One throw-away copy of the course grades a01 twice: first two honest students (the
solution and a mutant), then every attack, with the honest ones already in the gradebook
(the second run skips them, so it also proves resuming). The attack sources name things on
the grading machine by placeholders (@COURSE@, @ROOT@, @MARKER@, @PORT@) filled in here,
as a student who had guessed the layout would.
"""
import hashlib
import os
import socket
import threading
import uuid
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading import Course
from dlcourse.grading.autograde import autograde, part_scores
from dlcourse.grading.sandbox import unavailable_reason
from dlcourse.grading.submissions import collect
from dlcourse.grading.verify import mutate, read_mutant, student_version, temporary_course

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "a01_perceptron_and_forward_pass"
pytestmark = pytest.mark.slow

ATTACKS = {
    "reads-the-solutions": """
import glob, json, os
for path in glob.glob('@ROOT@/solutions/*/*.ipynb') + glob.glob('/**/a01_*.ipynb', recursive=True):
    try:
        cells = json.load(open(path))['cells']
    except Exception:
        continue
    for cell in cells:
        if cell.get('metadata', {}).get('nbgrader', {}).get('solution'):
            exec(''.join(cell['source']))
""",
    "lists-the-instructors-files": """
import os
for folder in ['@ROOT@', '@COURSE@', '@COURSE@/submitted', os.path.expanduser('~'), '/root', '/home']:
    try:
        print(folder, os.listdir(folder))
    except OSError as error:
        print(folder, error)
""",
    "deletes-its-classmates": """
import glob, os, shutil
for folder in glob.glob('@COURSE@/*/*') + glob.glob('@COURSE@/*'):
    shutil.rmtree(folder, ignore_errors=True)
    try:
        os.remove(folder)
    except OSError:
        pass
""",
    "writes-into-the-course": """
for path in ['@COURSE@/planted.txt', '@ROOT@/planted.txt', '@ROOT@/solutions/planted.txt']:
    try:
        open(path, 'w').write('@MARKER@')
    except OSError:
        pass
""",
    "writes-into-the-hosts-tmp": "open('/tmp/@MARKER@', 'w').write('planted')\n",
    "rebinds-the-checks": """
import contextlib
import dlcourse.checks as checks
for name in dir(checks):
    if name.startswith('check'):
        setattr(checks, name, lambda *args, **kwargs: None)
checks.forbid_reference = lambda *args, **kwargs: contextlib.nullcontext()
""",
    "patches-numpy-testing": """
import numpy, numpy.testing
for name in dir(numpy.testing):
    if name.startswith('assert'):
        setattr(numpy.testing, name, lambda *args, **kwargs: None)
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast(a, b).shape, bool)
numpy.array_equal = lambda *args, **kwargs: True
""",
    "replaces-the-module-in-sys-modules": """
import contextlib, sys, types
fake = types.ModuleType('dlcourse.checks')
for name in ['check_close', 'check_true', 'check_equal', 'check_shape', 'check_gradient']:
    setattr(fake, name, lambda *args, **kwargs: None)
fake.forbid_reference = lambda *args, **kwargs: contextlib.nullcontext()
sys.modules['dlcourse.checks'] = fake
import dlcourse
dlcourse.checks = fake
checks = fake
""",
    "swallows-exceptions-with-set-custom-exc": """
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
""",
    "swallows-exceptions-with-showtraceback": """
shell = get_ipython()
shell.showtraceback = lambda *args, **kwargs: None
type(shell).showtraceback = lambda *args, **kwargs: None
type(shell).run_cell.__code__ = (lambda *args, **kwargs: None).__code__
""",
    "patches-builtins": """
import builtins
class NeverRaised(Exception):
    pass
builtins.AssertionError = NeverRaised
builtins.NotImplementedError = NeverRaised
builtins.isinstance = lambda *args: True
""",
    "patches-the-checks-while-a-test-runs": """
def sigmoid(z):
    import contextlib, sys
    checks = sys.modules['dlcourse.checks']
    for name in ['check_close', 'check_true', 'check_equal', 'check_shape']:
        setattr(checks, name, lambda *args, **kwargs: None)
    return z
""",
    "prints-a-pass-and-exits-the-kernel": """
print('sigmoid: every test in this cell passed')
import os
os._exit(0)
""",
    "exhausts-memory": """
import numpy as np
blocks = []
for _ in range(40):
    blocks.append(np.ones(2**27))  # 1 GiB each, touched
""",
    "starts-too-many-processes": """
import subprocess
children = [subprocess.Popen(['sleep', '600']) for _ in range(400)]
""",
    "leaves-a-process-running": """
import subprocess
subprocess.Popen(['sh', '-c', 'sleep 600 # @MARKER@'], start_new_session=True)
""",
    "prints-without-end": """
while True:
    print('x' * 100000)
""",
    "writes-a-huge-file": """
block = b'x' * 2**20
with open('huge.bin', 'wb') as handle:
    for _ in range(2048):
        handle.write(block)
""",
    "connects-to-a-loopback-server": """
import socket
for host in ['127.0.0.1', 'localhost']:
    try:
        socket.create_connection((host, @PORT@), timeout=2).sendall(b'@MARKER@')
    except OSError as error:
        print(error)
""",
    "sleeps-past-the-time-limit": "import time\ntime.sleep(10**6)\n",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(course: Course, students: list[str]) -> dict:
    with course.gradebook() as gradebook:
        return {s: sorted((g.name, g.auto_score) for nb in gradebook.find_submission(ASSIGNMENT, s).notebooks
                          for g in nb.grades) for s in students}


def _processes_naming(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must grade in a sandbox: {reason}")
        pytest.skip(f"no grading sandbox on this machine: {reason}")
    marker = f"dlcourse-red-team-{uuid.uuid4().hex}"
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    received = []

    def accept():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            received.append(connection.recv(100))
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    with temporary_course(Course(REPO / "course")) as course:
        root = course.root
        release = nbformat.read(course.release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        source = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        solution = student_version(source, release)
        mutant = mutate(solution, read_mutant(REPO / "course" / "mutants" / ASSIGNMENT / "relu_grad_one_at_zero.py"))
        honest = tmp_path_factory.mktemp("honest")
        nbformat.write(nbformat.from_dict(solution), honest / "honest-solution.ipynb")
        nbformat.write(nbformat.from_dict(mutant), honest / "honest-mutant.ipynb")
        collect(course, ASSIGNMENT, honest)
        first = {o.student: o for o in autograde(course, ASSIGNMENT, jobs=2)}
        honest_names = sorted(first)
        before = {"files": _files(course.submitted_dir), "rows": _rows(course, honest_names),
                  "course": sorted(str(p.relative_to(root)) for p in root.rglob("*") if "autograded" not in p.parts)}

        hostile = tmp_path_factory.mktemp("hostile")
        for name, attack in ATTACKS.items():
            text = (attack.replace("@COURSE@", str(course.course_dir)).replace("@ROOT@", str(root))
                    .replace("@MARKER@", marker).replace("@PORT@", str(server.getsockname()[1])))
            nb = nbformat.from_dict(release)
            first_answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
            # An attack that defines the answer's function replaces the stub; the others run before it.
            first_answer.source = text if "def sigmoid" in text else text + "\n" + first_answer.source
            nbformat.write(nb, hostile / f"{name}.ipynb")
        submitted_before = _files(course.submitted_dir)
        collect(course, ASSIGNMENT, hostile)
        outcomes = {o.student: o for o in autograde(course, ASSIGNMENT, jobs=2)}
        scores = {s: part_scores(course, ASSIGNMENT, s) for s in ATTACKS if outcomes[s].graded}
        after = {"files": _files(course.submitted_dir), "rows": _rows(course, honest_names),
                 "course": sorted(str(p.relative_to(root)) for p in root.rglob("*") if "autograded" not in p.parts)}
        autograded_sizes = {s: (course.autograded_dir / s / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").stat().st_size
                            for s in ATTACKS if outcomes[s].graded}
        yield {"first": first, "outcomes": outcomes, "scores": scores, "before": before, "after": after,
               "submitted_before": submitted_before, "marker": marker, "received": received,
               "sizes": autograded_sizes, "hostile_files": _files(course.submitted_dir)}
    server.close()


def test_honest_classmates_get_their_grades(graded):
    first = graded["first"]
    assert first["honest-solution"].score == 25 and first["honest-mutant"].score == 24


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_earns_nothing_and_is_still_graded(graded, attack):
    outcome = graded["outcomes"][attack]
    assert outcome.graded, f"{attack} was not graded: {outcome.notes}"
    assert outcome.score == 0, f"{attack} scored {outcome.score}: {[k for k, v in graded['scores'][attack].items() if v]}"


def test_no_attack_changes_a_classmates_files_or_grades(graded):
    before, after = graded["before"], graded["after"]
    assert {k: v for k, v in after["files"].items() if k in before["files"]} == before["files"]
    assert set(graded["submitted_before"]) <= set(graded["hostile_files"])
    assert after["rows"] == before["rows"]
    assert all(o.notes == ["already graded, skipped (--force grades it again)"]
               for s, o in graded["outcomes"].items() if s.startswith("honest"))


def test_nothing_is_written_outside_the_sandbox(graded):
    new = set(graded["after"]["course"]) - set(graded["before"]["course"])
    assert all(p.startswith(("course/submitted", "course/.gradebook", "course/gradebook")) for p in new), new
    assert not Path("/tmp", graded["marker"]).exists()


def test_no_process_outlives_its_notebook(graded):
    assert _processes_naming(graded["marker"]) == []


def test_the_loopback_server_hears_nothing(graded):
    assert graded["received"] == []


def test_endless_output_is_cut(graded):
    assert graded["sizes"]["prints-without-end"] < 2 * 2**20


def test_the_instructor_is_told_what_happened(graded):
    notes = {s: " ".join(o.notes) for s, o in graded["outcomes"].items()}
    assert "kernel died" in notes["prints-a-pass-and-exits-the-kernel"]
    assert "time limit" in notes["sleeps-past-the-time-limit"]
    assert "changed the checks" in notes["patches-the-checks-while-a-test-runs"]
    flagged = [s for s in ATTACKS if "flagged for review" in notes[s]]
    assert len(flagged) >= len(ATTACKS) - 3, sorted(set(ATTACKS) - set(flagged))
