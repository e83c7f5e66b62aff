"""Releasing an assignment: the source must pass its own tests before students get it."""
from __future__ import annotations

import tempfile
from pathlib import Path

from .course import Course


def source_failures(course: Course, name: str) -> list[str]:
    """Test cells of the instructor's source that fail when it runs top to bottom."""
    from nbgrader.validator import Validator

    assignment = course.assignment(name)
    validator = Validator(config=course.config)
    validator.ignore_checksums = True  # sources carry no checksums; only releases do
    results = validator.validate(str(assignment.source))
    failed = results.get("failed", []) + results.get("type_changed", [])
    return [f"test cell fails in the source: {f['source'].splitlines()[0][:80]!r}: "
            f"{(f.get('raw_error') or '').strip().splitlines()[-1:] or ''}" for f in failed]


def release(course: Course, name: str) -> list[str]:
    """Validate solutions/<name>, then regenerate assignments/<name>; problems, or [] when released."""
    problems = source_failures(course, name)
    if problems:
        return problems + ["fix the source in solutions/ and release again; assignments/ was left as it was"]
    # Generate into a scratch folder first, so a failure never leaves a half-written release.
    with tempfile.TemporaryDirectory() as scratch:
        result = course.api(release_directory=scratch).generate_assignment(name, force=True, create=True)
        if not result["success"]:
            error = (result.get("error") or result.get("log") or "").strip().splitlines()
            return [f"nbgrader could not generate the release: {error[-1] if error else 'no reason given'}"]
        target = course.release_dir / name
        import shutil

        staged = Path(scratch) / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staged, target)
    return []
