"""`dlcourse`: the instructor's command line, on top of nbgrader's Python API.

    dlcourse list                       assignments, their graded parts and points
    dlcourse release A | --all          check the source passes its own tests, regenerate assignments/A
    dlcourse collect A PATH             import a folder or zip of notebooks named by student id
    dlcourse autograde A [--jobs N]     grade every collected submission, N at a time, each in a sandbox
    dlcourse autograde A --cluster ADDR the same on the workers of a Dask cluster
    dlcourse feedback A                 write feedback HTML for every graded submission
    dlcourse grades [--csv PATH]        scores per student per assignment
    dlcourse check [A ...]              drift, round trip, mutants and bad submissions (what CI runs)
    dlcourse validate NOTEBOOK          for students: run a notebook as the grader does, one line per part
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .course import Course, CourseError


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())


def cmd_list(course: Course, args) -> int:
    assignments = course.assignments()
    if not assignments:
        print("No assignments yet: add solutions/<id>/<id>.ipynb (see course/README.md).")
        return 0
    for a in assignments:
        print(f"{a.name}  ({a.max_score:g} points)")
        for part in a.parts:
            print(f"    {part.grade_id:<32} {part.points:g}")
    return 0


def cmd_release(course: Course, args) -> int:
    from .release import release

    names = [a.name for a in course.assignments()] if args.all else [args.assignment]
    if not names or names == [None]:
        raise CourseError("Name an assignment to release, or pass --all.")
    failed = 0
    for name in names:
        problems = release(course, name)
        if problems:
            failed += 1
            print(f"{name}: not released")
            for problem in problems:
                print(f"    {problem}")
        else:
            print(f"{name}: released to {course.release_dir.name}/{name}/")
    return 1 if failed else 0


def cmd_collect(course: Course, args) -> int:
    from .submissions import collect

    submissions, skipped = collect(course, args.assignment, Path(args.path))
    print(f"collected {len(submissions)} submission(s) of {args.assignment}")
    for s in submissions:
        for note in s.notes:
            print(f"    {s.student}: {note}")
    for line in skipped:
        print(f"    skipped {line}")
    return 0


def cmd_autograde(course: Course, args) -> int:
    from .autograde import autograde
    from ..config import progress

    if args.no_sandbox:
        print("WARNING: grading without a sandbox: every submission's code runs with your rights and can read, "
              "change or delete anything you can. Each is flagged in the gradebook.", file=sys.stderr)
    bar = None

    def landed(outcome, done, total):
        nonlocal bar
        if bar is None:
            bar = progress(total=total, desc=f"grading {args.assignment}", unit="student", leave=True,
                           disable=not sys.stderr.isatty() and not args.progress)
        score = f"{outcome.score:g}/{outcome.max_score:g}" if outcome.graded and outcome.score is not None else (
            "graded" if outcome.graded else "not graded")
        bar.write(f"  {outcome.student}: {score}")
        bar.update(1)

    try:
        outcomes = autograde(course, args.assignment, jobs=args.jobs, sandbox=not args.no_sandbox, force=args.force,
                             on_result=landed, cluster=args.cluster)
    finally:
        if bar is not None:
            bar.close()
    rows = [[o.student, f"{o.score:g}/{o.max_score:g}" if o.graded else "not graded", "; ".join(o.notes)]
            for o in outcomes]
    _print_table(rows, ["student", "score", "notes"])
    graded = sum(o.graded for o in outcomes)
    print(f"graded {graded} of {len(outcomes)} submission(s)")
    return 0 if graded == len(outcomes) else 1


def cmd_feedback(course: Course, args) -> int:
    from .feedback import feedback

    written, failures = feedback(course, args.assignment)
    print(f"feedback written for {written} student(s) in {course.feedback_dir}")
    for line in failures:
        print(f"    {line}")
    return 1 if failures else 0


def cmd_grades(course: Course, args) -> int:
    from .feedback import grade_rows, export_csv

    rows = grade_rows(course)
    if not rows:
        print("No grades yet: collect and autograde an assignment first.")
    else:
        _print_table([[r["student"], r["assignment"], f"{r['score']:g}", f"{r['max_score']:g}"] for r in rows],
                     ["student", "assignment", "score", "max"])
    if args.csv:
        export_csv(course, Path(args.csv))
        print(f"wrote {args.csv}")
    return 0


def cmd_check(course: Course, args) -> int:
    from .verify import check

    names = args.assignments or [a.name for a in course.assignments()]
    mutants = Path(args.mutants) if args.mutants else course.course_dir / "mutants"
    failed = False
    for assignment, drift_problems, verdicts in check(course, names, mutants, jobs=args.jobs):
        print(f"{assignment.name}: drift {'FAIL' if drift_problems else 'ok'}")
        for problem in drift_problems:
            print(f"    {problem}")
        rows = [[v.expectation.student, f"{v.outcome.score:g}/{assignment.max_score:g}" if v.outcome.graded
                 else "not graded", "ok" if v.ok else "FAIL: " + "; ".join(v.problems)] for v in verdicts]
        _print_table(rows, ["submission", "score", "verdict"])
        failed |= bool(drift_problems) or not all(v.ok for v in verdicts)
    return 1 if failed else 0


def cmd_validate(args) -> int:
    from .validate import ValidateError, read_notebook, report, validate

    notebook = Path(args.notebook)
    try:
        read_notebook(notebook)  # a file that is no assignment is reported before the wait
        print(f"Running {notebook.name} as the grader does (each cell may take up to a minute)...\n", flush=True)
        parts = validate(notebook, course_dir=Path(args.course) if args.course else None)
    except ValidateError as error:
        print(f"dlcourse validate: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dlcourse validate: stopped before the end; the notebook was not changed.", file=sys.stderr)
        return 130
    print(report(parts))
    print("\nGrading also runs hidden tests on other inputs: a part that passes here can still lose points.")
    return 0 if all(p.passed for p in parts) else 1


def _autograde_description() -> str:
    from .sandbox import Limits

    settings = "\n".join(f"  c.SandboxedKernelManager.{name} = {getattr(Limits, name)}" for name in
                         ("memory_mb", "processes", "cpu_seconds", "file_size_mb", "scratch_mb"))
    return ("Grade every collected submission. Each notebook runs in a sandbox: it sees only its own working\n"
            "copy and the read-only Python environment (not solutions/ or course/), writes only into a\n"
            "scratch folder that is discarded, has no network, and runs under these limits, which\n"
            "course/nbgrader_config.py can change (defaults shown):\n\n"
            f"{settings}\n  c.GradingExecute.output_kb = {Limits.output_kb}\n\n"
            "Every cell also has a time limit (c.Execute.timeout, or a test cell's own). Students already\n"
            "graded are skipped unless --force; one run at a time per course.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlcourse", description="Run the dlcourse nbgrader course.")
    parser.add_argument("--course", help="the course folder holding nbgrader_config.py (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("list", help="assignments with their graded parts and points").set_defaults(run=cmd_list)
    p = commands.add_parser("release", help="validate the source and regenerate the student release")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--all", action="store_true", help="every assignment")
    p.set_defaults(run=cmd_release)
    p = commands.add_parser("collect", help="import a folder or zip of notebooks named by student id")
    p.add_argument("assignment")
    p.add_argument("path")
    p.set_defaults(run=cmd_collect)
    p = commands.add_parser("autograde", help="grade every collected submission, each in a sandbox",
                            description=_autograde_description(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("assignment")
    p.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: core count)")
    p.add_argument("--force", action="store_true", help="grade again students whose submission is already graded")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run submissions without a sandbox, with your rights (only if you trust every one)")
    p.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="grade on the workers of the Dask scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786); "
                        "see course/README.md")
    p.set_defaults(run=cmd_autograde)
    p = commands.add_parser("feedback", help="feedback HTML for every graded submission")
    p.add_argument("assignment")
    p.set_defaults(run=cmd_feedback)
    p = commands.add_parser("grades", help="scores per student per assignment")
    p.add_argument("--csv", help="also write nbgrader's CSV export here")
    p.set_defaults(run=cmd_grades)
    p = commands.add_parser("check", help="prove every grader: drift, round trip, mutants, bad submissions")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--mutants", help="folder of mutants, one subfolder per assignment of files that each edit a "
                                     "solution cell (default: mutants/ beside nbgrader_config.py)")
    p.set_defaults(run=cmd_check)
    p = commands.add_parser("validate", help="for students: run a notebook as the grader does and list each "
                                             "graded part as passed or failed, with its points",
                            description="Run an assignment notebook as the grader runs it (the course kernel and "
                                        "time limits, visible tests only) and print one line per graded part: "
                                        "passed or failed, why, and its points. The notebook is not changed. "
                                        "Exit status 0 if every part passes, 1 if one fails, 2 if the notebook "
                                        "cannot be validated.")
    p.add_argument("notebook", help="the assignment notebook, e.g. assignments/a01_.../a01_....ipynb")
    p.set_defaults(run=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("autograde", "check") and args.jobs is not None and args.jobs < 1:
        print("dlcourse: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.command == "autograde" and args.cluster and args.jobs is not None:
        print("dlcourse: error: --jobs counts processes on this machine; with --cluster, each worker grades one "
              "submission at a time: start as many workers as you want jobs", file=sys.stderr)
        return 2
    if args.command == "validate":  # a student's command: no course needed, paths from here
        return args.run(args)
    try:
        course = Course(Path(args.course) if args.course else None)
        # nbgrader resolves some paths from the working directory and runs `alembic` from PATH.
        os.chdir(course.course_dir)
        os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        return args.run(course, args)
    except CourseError as error:
        print(f"dlcourse: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
