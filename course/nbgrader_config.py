"""nbgrader configuration of the dlcourse course (nbgrader 0.9).

The course root is the repository: instructor sources live in solutions/, the
releases students get in assignments/, and everything a grading run produces
(submitted/, autograded/, feedback/, the gradebook) in course/, which git ignores.
Run nbgrader (or the `dlcourse` command, which reads this file) from course/.

The gradebook is SQLite in course/gradebook.db unless DLCOURSE_DB_URL names another
SQLAlchemy URL, e.g. postgresql://grader:secret@localhost/dlcourse.
"""
import os
from pathlib import Path

from dlcourse.grading.course import dotted_name

COURSE = Path(__file__).resolve().parent
REPO = COURSE.parent

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

# Preprocessors are named by their import paths and the time limits by a str-like value, so
# the whole configuration is JSON: the formgrader can show it ("Current configuration").

c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.root = str(REPO)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.submitted_directory = "course/submitted"
c.CourseDirectory.autograded_directory = "course/autograded"
c.CourseDirectory.feedback_directory = "course/feedback"
c.CourseDirectory.solution_directory = "course/released_solutions"
c.CourseDirectory.db_url = os.environ.get("DLCOURSE_DB_URL") or f"sqlite:///{COURSE / 'gradebook.db'}"

# nbgrader's exchange: where "Release" (formgrader) puts an assignment for students to fetch and
# where their submissions wait to be collected. On JupyterHub, name the shared exchange folder in
# DLCOURSE_EXCHANGE (e.g. /usr/local/share/nbgrader/exchange); otherwise the course keeps its own
# in course/exchange/ (git ignores it), for students who are users of this machine.
if os.environ.get("DLCOURSE_EXCHANGE"):
    c.Exchange.root = os.environ["DLCOURSE_EXCHANGE"]
else:
    try:
        (COURSE / "exchange").mkdir(exist_ok=True)  # nbgrader requires the folder to exist
    except OSError:
        pass  # a read-only checkout: grading works, the formgrader says the exchange is missing
    c.Exchange.root = str(COURSE / "exchange")

# Students get a stub that names the function to implement:
#   raise NotImplementedError("Implement sigmoid(z) as its docstring describes, then run ...")
from nbgrader.converters import GenerateAssignment  # noqa: E402

c.GenerateAssignment.preprocessors = [
    "dlcourse.grading.stubs.NamedClearSolutions" if p.__name__ == "ClearSolutions" else dotted_name(p)
    for p in GenerateAssignment.class_traits()["preprocessors"].default()
]

# Every notebook runs on the course kernel; one cell may take at most a minute, after which
# it is interrupted (that part scores 0) and the rest of the notebook still runs.
c.ExecutePreprocessor.kernel_name = "dlcourse"
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# A locked test cell may ask for longer in its metadata ({"dlcourse": {"time_limit": 150}}),
# for hidden tests that train a model to a target; see dlcourse.grading.time_limits.
from dlcourse.grading.time_limits import CellTimeLimits  # noqa: E402

c.Execute.timeout_func = CellTimeLimits(default=c.Execute.timeout)
# ipykernel logs a warning about unencrypted local TCP at every kernel start, which buries
# the grading table; the kernel's own log is not student output, so keep only its errors.
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# Any stderr output zeroes a test cell; library warnings must not cost students points.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(Deprecation|Future|User|Runtime)Warning"

# A student who deletes a test cell gets it back (scored as written by the instructor).
c.OverwriteCells.add_missing_cells = True

# Grading: each submission's kernel runs in a sandbox (bubblewrap): it sees only its own
# working copy and the read-only Python environment, writes only into a scratch folder that
# is discarded, has no network, and runs under the limits below. The checks the tests use are
# restored before every test cell and compared with their record after it; output is capped;
# a notebook whose kernel dies is graded as far as it got. `dlcourse autograde` and nbgrader's
# own autograde (the formgrader) both grade this way. See course/README.md.
from nbgrader.converters import Autograde, GenerateFeedback  # noqa: E402

c.Autograde.autograde_preprocessors = [
    "dlcourse.grading.executor.GradingExecute" if p.__name__ == "Execute" else dotted_name(p)
    for p in Autograde.class_traits()["autograde_preprocessors"].default()
]
c.SandboxedKernelManager.hidden_paths = [str(REPO / "solutions"), str(COURSE)]
c.SandboxedKernelManager.memory_mb = 6144  # address space of each process
c.SandboxedKernelManager.processes = 256  # processes and threads at once
c.SandboxedKernelManager.cpu_seconds = 1800  # CPU time of each process
c.SandboxedKernelManager.file_size_mb = 64  # largest file written
c.SandboxedKernelManager.scratch_mb = 256  # all it writes, in its folder and again in /tmp
c.GradingExecute.output_kb = 256  # output a cell keeps

# Feedback shows each test cell's visible tests and outcome, never its hidden tests.
c.GenerateFeedback.preprocessors = [
    "dlcourse.grading.hide_hidden.HideHiddenTests",
    *map(dotted_name, GenerateFeedback.class_traits()["preprocessors"].default()),
]
