"""The instructor side of the course: nbgrader driven from one command, `dlcourse`
(and one student-side verb, ``validate``: a notebook's parts, passed or failed, in a table).

Modules: ``course`` (where things are, assignments and points), ``submissions``
(collect and inspect), ``autograde`` (parallel grading with a consistent gradebook),
``cluster`` (the same on the workers of a Dask cluster), ``records`` (a graded submission
carried between gradebooks),
``executor`` (how a submission runs: ``sandbox``, ``guard`` for the checks, capped output,
partial grades after a kernel death), ``scan`` (answer cells flagged for review),
``release``, ``feedback`` (feedback and grades; ``hide_hidden`` keeps hidden tests out of
it), ``verify`` (the proofs CI runs), ``stubs`` (the NotImplementedError students see),
``time_limits``, ``validate`` and ``cli``.
"""
from .course import Assignment, Course, CourseError, Part

__all__ = ["Assignment", "Course", "CourseError", "Part"]
