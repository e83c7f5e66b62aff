"""The instructor side of the course: nbgrader driven from one command, `dlcourse`.

Modules: ``course`` (where things are, assignments and points), ``submissions``
(collect and inspect), ``autograde`` (parallel grading with a consistent gradebook),
``release``, ``feedback`` (feedback and grades), ``verify`` (the proofs CI runs),
``stubs`` (the NotImplementedError students see) and ``cli``.
"""
from .course import Assignment, Course, CourseError, Part

__all__ = ["Assignment", "Course", "CourseError", "Part"]
