"""Checks for assignment test cells: each passes silently or raises a ``CheckFailure`` (an
AssertionError) saying, in a sentence or two, which quantity is wrong, for which input, what
was expected and what came back.

    with tests_of("sigmoid"):                      # a test cell's checks, reported together
        z = np.array([[-1.0, 0.0, 2.0]])
        expected = dlcourse.nn.sigmoid(z)          # computed before the trap is set
        with forbid_reference(dlcourse.nn.sigmoid):
            got = sigmoid(z)                       # the student's own function
        check_close(got, expected, "sigmoid(z)", inputs={"z": z})   # "... at z = 0: expected 0.5 ..."
        check_gradient(loss_of_W, W, grad_W, name="dL/dW")

Inside ``tests_of``, a student working through the notebook sees every failing check of the
cell, not only the first; while nbgrader grades or validates (``NBGRADER_EXECUTION`` set when
this module is imported) the first failure ends the cell, so student code cannot reach a
list of recorded failures. In Jupyter a failure's traceback stops at the test cell's line:
the library's own frames are left out.

Nothing here writes to stderr: nbgrader scores a test cell 0 if anything reaches it.
"""
from __future__ import annotations

import contextlib
import functools
import numbers
import os
import reprlib
import sys
import types

import numpy as np

from ._validation import check_instance, check_int, check_real

__all__ = [
    "CheckFailure",
    "tests_of",
    "check_shape",
    "check_close",
    "check_equal",
    "check_true",
    "numerical_gradient",
    "check_gradient",
    "forbid_reference",
]

_SHOWN_IN_FULL = 10  # arrays with at most this many entries are printed whole in a failure

# Read once, when the grader's kernel imports this module before any student code runs (and
# put back before every test cell by the grader's guard): grading never collects failures.
_GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))


# ------------------------------------------------------------------ failures and test cells
class CheckFailure(AssertionError):
    """A failed check. In IPython its traceback ends at the last line outside this library (the
    test cell's call of the check), so a student reads their test cell and the message only."""

    def _render_traceback_(self):  # IPython's hook for exceptions that format themselves
        try:
            from IPython import get_ipython

            shell = get_ipython()
            entries, tb = [], self.__traceback__
            while tb is not None:
                entries.append(tb)
                tb = tb.tb_next
            outside = [i for i, entry in enumerate(entries) if not _in_library(entry.tb_frame)]
            if shell is None or not outside:
                raise LookupError("no frame outside the library")
            entries[outside[-1]].tb_next = None  # cut the library's frames off the end
            return shell.InteractiveTB.structured_traceback(type(self), self, self.__traceback__)
        except Exception:  # never let formatting fail: IPython would print that to stderr
            return [f"{type(self).__name__}: {self}"]


def _in_library(frame) -> bool:
    return (frame.f_globals.get("__name__") or "").startswith("dlcourse.")


def _line_of(failure: CheckFailure) -> str:
    """'line 7: ', the line of the test cell whose check failed, or '' when unknown."""
    line = getattr(failure, "line", None)
    return f"line {line}: " if line else ""


_collecting: list[list[CheckFailure]] = []  # one list per open tests_of block (outside grading)
_depth = [0]                                 # checks running inside checks: only the outermost reports


def _reported(check):
    """Run a public check; inside tests_of (and not while grading) record its failure and go on."""

    @functools.wraps(check)
    def run(*args, **kwargs):
        _depth[0] += 1
        try:
            return check(*args, **kwargs)
        except CheckFailure as failure:
            if _depth[0] == 1 and _collecting and not _GRADING:
                failure.line = sys._getframe(1).f_lineno  # the test cell's line that called the check
                _collecting[-1].append(failure)
                return None
            raise
        finally:
            _depth[0] -= 1

    return run


class tests_of(contextlib.AbstractContextManager):
    """The checks of one test cell: ``with tests_of("sigmoid"): ...``.

    Ends with "sigmoid: every test in this cell passed" when every check passed. Outside
    grading, a failing check is recorded and the cell goes on, so that the student sees every
    failure at the end, numbered, in one CheckFailure; an exception raised by the student's
    code (or one the cell cannot go on after) ends the block as usual, with the failures
    recorded before it added as a note. While nbgrader grades, the first failure ends the cell.
    """

    def __init__(self, name):
        check_instance(name, "name", "tests_of", str, "the name of the function under test, such as 'sigmoid'")
        self.name = name
        self.failures: list[CheckFailure] = []

    def __enter__(self):
        self.failures = []
        _collecting.append(self.failures)
        return self

    def __exit__(self, kind, error, traceback):
        if _collecting and _collecting[-1] is self.failures:
            _collecting.pop()
        if kind is None and not self.failures:
            print(f"{self.name}: every test in this cell passed")
            return False
        if not self.failures:
            return False
        listed = "\n".join(f"  {n}. {_line_of(failure)}{failure}" for n, failure in enumerate(self.failures, 1))
        if kind is not None:
            error.add_note(f"Before this, {len(self.failures)} check(s) of {self.name} failed:\n{listed}")
            return False
        if len(self.failures) == 1:
            raise self.failures[0].with_traceback(None)
        raise CheckFailure(f"{len(self.failures)} checks of {self.name} failed:\n{listed}")

_short_repr = reprlib.Repr()
_short_repr.maxstring = _short_repr.maxother = 60
_short_repr.maxlist = _short_repr.maxtuple = 10


# ------------------------------------------------------------------ conversion
def _is_tensor(x) -> bool:
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def _to_numpy(x):
    """x as a NumPy array (tensors detached and moved to the CPU), or None if it has no array form."""
    try:
        if _is_tensor(x):
            x = x.detach().cpu().numpy()
        return np.asarray(x)
    except Exception:  # ragged lists, objects numpy cannot hold, bfloat16 tensors
        return None


def _describe(x) -> str:
    return "None" if x is None else f"{type(x).__name__} {_short_repr.repr(x)}"


def _numeric(actual, name: str) -> np.ndarray:
    """The student's value as a numeric array, or an AssertionError saying why it is not one."""
    if actual is None:
        raise CheckFailure(f"{name} returned None; did you forget `return`?")
    array = _to_numpy(actual)
    if array is None or array.dtype.kind not in "biuf":
        raise CheckFailure(f"{name} should be a number or an array of numbers; got {_describe(actual)}.")
    return array


def _reference(expected, check: str) -> np.ndarray:
    """The instructor's expected value as a numeric array; a TypeError is a bug in the test cell."""
    array = None if expected is None else _to_numpy(expected)
    if array is None or array.dtype.kind not in "biuf":
        raise TypeError(f"{check} expects `expected` to be a number or an array of numbers; "
                        f"got {_describe(expected)}.")
    return array


def _check_name(name, check: str):
    check_instance(name, "name", check, str, "a string such as 'sigmoid(z)'")


# ------------------------------------------------------------------ formatting
def _fmt(x, digits: int = 4) -> str:
    """A number the way a person writes it: 1 not 1.0, 0.09 not 0.09000000000000001."""
    x = x.item() if hasattr(x, "item") else x
    if isinstance(x, (bool, numbers.Integral)):
        return str(x)
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def _fmt_pair(expected, got) -> tuple[str, str]:
    """Expected and got with just enough digits that unequal values do not print alike."""
    for digits in range(4, 18):
        e, g = _fmt(expected, digits), _fmt(got, digits)
        if e != g:
            break
    return e, g


def _fmt_shape(shape) -> str:
    sizes = ["any" if size is None else str(size) for size in shape]
    text = f"({sizes[0]},)" if len(sizes) == 1 else f"({', '.join(sizes)})"
    return text + " (a single number)" if not sizes else text


def _fmt_index(index) -> str:
    index = tuple(int(i) for i in index)
    return str(index[0]) if len(index) == 1 else str(index)


def _inputs(inputs, shape: tuple, check: str) -> dict:
    """{name: array} of the inputs that say where an entry is (same shape as the result)."""
    if inputs is None:
        return {}
    check_instance(inputs, "inputs", check, dict, "a dict {name: input}, such as {'z': z}")
    arrays = {}
    for name, value in inputs.items():
        array = _to_numpy(value)
        if array is None or array.shape != shape:
            got = "not an array" if array is None else f"shape {_fmt_shape(array.shape)}"
            raise ValueError(f"{check} expects each of inputs to have the shape of the result, "
                             f"{_fmt_shape(shape)}, so that it names the input of a wrong entry; "
                             f"{name!r} has {got}.")
        arrays[name] = array
    return arrays


def _at(index, inputs: dict) -> str:
    """Where an entry is: 'z = 0' when inputs name it, else 'index (1, 2)'."""
    if inputs:
        return ", ".join(f"{name} = {_fmt(array[index])}" for name, array in inputs.items())
    return f"index {_fmt_index(index)}"


def _fmt_array(array: np.ndarray) -> str:
    text = np.array2string(array, separator=", ", formatter={"float_kind": _fmt})
    return " ".join(text.split())  # one line, so the message stays one paragraph


# ------------------------------------------------------------------ shapes and values
def _expected_shape(expected_shape) -> tuple:
    if isinstance(expected_shape, numbers.Integral):
        expected_shape = (expected_shape,)
    allowed = "a tuple of sizes (non-negative int or None), such as (3, None)"
    check_instance(expected_shape, "expected_shape", "check_shape", (tuple, list), allowed)
    return tuple(None if size is None else check_int(size, "expected_shape", "check_shape", minimum=0, allowed=allowed)
                 for size in expected_shape)


def _shape_hint(got: tuple, expected: tuple) -> str:
    def matches(shape):
        return len(shape) == len(expected) and all(e is None or e == s for s, e in zip(shape, expected))

    if len(got) >= 2 and matches(got[::-1]):
        return " Is it transposed?"
    if [s for s in got if s != 1] == [e for e in expected if e != 1] and None not in expected:
        return " The sizes agree apart from axes of size 1: check reshape, keepdims or np.newaxis."
    return ""


@_reported
def check_shape(actual, expected_shape, name):
    """Fail unless ``actual`` (array, tensor, list or number) has shape ``expected_shape``.

    expected_shape: a tuple of sizes, None meaning any size, e.g. (None, 10); () for a number.
    """
    _check_name(name, "check_shape")
    expected = _expected_shape(expected_shape)
    if actual is None:
        raise CheckFailure(f"{name} returned None; did you forget `return`?")
    if _is_tensor(actual):
        shape = tuple(actual.shape)
    else:
        array = _to_numpy(actual)
        if array is None:
            raise CheckFailure(f"{name} should be an array of shape {_fmt_shape(expected)}; "
                                 f"got {_describe(actual)}, which is not a rectangular array.")
        shape = array.shape
    if len(shape) != len(expected) or any(e is not None and e != s for s, e in zip(shape, expected)):
        raise CheckFailure(f"{name} has the wrong shape: expected {_fmt_shape(expected)}, "
                             f"got {_fmt_shape(shape)}.{_shape_hint(shape, expected)}")


def _check_finite(actual: np.ndarray, expected: np.ndarray, name: str, inputs: dict | None = None):
    """Fail where ``actual`` is nan or infinite and ``expected`` is a finite number."""
    broken = ~np.isfinite(actual) & np.isfinite(expected)
    if not broken.any():
        return
    index = tuple(np.argwhere(broken)[0])
    value = actual[index]
    where = "" if actual.ndim == 0 else f" at {_at(index, inputs or {})}"
    others = int(broken.sum()) - 1
    more = f" (and at {others} other {'entry' if others == 1 else 'entries'})" if others else ""
    cause = ("nan usually comes from 0/0, inf - inf or the log of a negative number."
             if np.isnan(value) else
             "inf usually means an overflow, such as np.exp of a number above 709, or a division by 0.")
    verb = "is" if actual.ndim == 0 else "contains"
    raise CheckFailure(f"{name} {verb} {_fmt(value)}{where}{more}; expected {_fmt(expected[index])}. {cause}")


def _mismatch(name, actual, expected, wrong, first: bool = False, tolerance: str = "",
              inputs: dict | None = None) -> CheckFailure:
    """The error for entries flagged in ``wrong``: the worst (or first) entry, and small arrays whole."""
    if actual.ndim == 0:
        e, g = _fmt_pair(expected[()], actual[()])
        return CheckFailure(f"{name} is wrong: expected {e}, got {g}.{tolerance}")
    if first:
        index = tuple(np.argwhere(wrong)[0])
        which = "first"
    else:
        with np.errstate(all="ignore"):  # inf - inf is a legitimate nan here
            difference = np.abs(actual.astype(np.float64) - expected)
        difference = np.where(np.isnan(difference), np.inf, difference)
        index = np.unravel_index(np.argmax(np.where(wrong, difference, -1.0)), wrong.shape)
        which = f"largest difference {_fmt(difference[index], 3)}"
    e, g = _fmt_pair(expected[index], actual[index])
    message = (f"{name} is wrong at {int(wrong.sum())} of {wrong.size} entries (shape {_fmt_shape(actual.shape)}): "
               f"{which} at {_at(index, inputs or {})}, expected {e}, got {g}.")
    if actual.size <= _SHOWN_IN_FULL:
        message += f" Expected {_fmt_array(expected)} got {_fmt_array(actual)}."
    return CheckFailure(message + tolerance)


@_reported
def check_close(actual, expected, name, rtol=1e-5, atol=1e-8, inputs=None):
    """Fail unless ``actual`` matches ``expected`` entrywise: |actual - expected| <= atol + rtol |expected|.

    actual: the student's array, tensor, list or number; expected: the reference, same shape.
    inputs: optional {name: input} of the same shape as expected (an elementwise function's
    argument), so that a wrong entry is named by its input ("at z = 0") instead of its index.
    The shape is checked first, then nan/inf, then the values (as np.allclose).
    """
    _check_name(name, "check_close")
    expected = _reference(expected, "check_close").astype(np.float64)
    inputs = _inputs(inputs, expected.shape, "check_close")
    actual = _numeric(actual, name)
    check_shape(actual, expected.shape, name)
    actual = actual.astype(np.float64)
    _check_finite(actual, expected, name, inputs)
    wrong = ~np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        with np.errstate(all="ignore"):
            nearly = np.all(np.abs(actual - expected)[wrong] <= 1e-3 * np.abs(expected[wrong]))
        tolerance = (f" The values are close but the test allows only rtol={rtol:g}, atol={atol:g}: "
                     "look for float32 arithmetic or a rounded constant.") if nearly else ""
        raise _mismatch(name, actual, expected, wrong, tolerance=tolerance, inputs=inputs)


@_reported
def check_equal(actual, expected, name, inputs=None):
    """Fail unless ``actual`` equals ``expected`` exactly (labels, counts, tuples, small arrays).

    Arrays and tensors are compared entry by entry after a shape check (nan equals nan);
    other values (numbers, tuples, strings) with Python's ==. inputs: as for check_close.
    """
    _check_name(name, "check_equal")
    if actual is None and expected is not None:
        raise CheckFailure(f"{name} returned None; did you forget `return`?")
    expected_array = _to_numpy(expected)
    is_array = any(isinstance(v, np.ndarray) or _is_tensor(v) for v in (actual, expected))
    if is_array and expected_array is not None and expected_array.dtype.kind in "biuf":
        actual_array = _numeric(actual, name)
        check_shape(actual_array, expected_array.shape, name)
        wrong = actual_array != expected_array
        if actual_array.dtype.kind == "f" and expected_array.dtype.kind == "f":
            wrong &= ~(np.isnan(actual_array) & np.isnan(expected_array))
        if wrong.any():
            raise _mismatch(name, actual_array, expected_array, wrong, first=True,
                            inputs=_inputs(inputs, expected_array.shape, "check_equal"))
        return
    try:
        equal = bool(actual == expected)
    except Exception:  # == gave an array or refused the comparison
        equal = False
    if not equal:
        kinds = ""
        if type(actual) is not type(expected) and not (isinstance(actual, numbers.Number)
                                                       and isinstance(expected, numbers.Number)):
            kinds = f" (a {type(actual).__name__} where a {type(expected).__name__} was expected)"
        raise CheckFailure(f"{name} is wrong: expected {_short_repr.repr(expected)}, "
                             f"got {_short_repr.repr(actual)}{kinds}.")


@_reported
def check_true(condition, message):
    """Fail with ``message`` unless ``condition`` holds, e.g. check_true(acc >= 0.95, f"accuracy {acc:.3f} < 0.95")."""
    check_instance(message, "message", "check_true", str, "a string")
    if not condition:
        raise CheckFailure(message)


# ------------------------------------------------------------------ gradients
def _scalar_output(value) -> float:
    array = _to_numpy(value)
    if array is None or array.dtype.kind not in "biuf" or array.size != 1:
        shape = "" if array is None else f" of shape {_fmt_shape(array.shape)}"
        raise TypeError(f"numerical_gradient expects f to return a single number (the loss); "
                        f"got {type(value).__name__}{shape}.")
    return float(array.reshape(()))


def _check_parameter(x, check: str):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"an array of {x.dtype}" if isinstance(x, np.ndarray) else _describe(x)
        raise TypeError(f"{check} expects x to be a float64 NumPy array (in lower precision rounding "
                        f"swamps the small step eps); got {got}. Use x.astype(np.float64).")
    if not x.flags.writeable:
        raise ValueError(f"{check} perturbs x in place, so x must be writeable; got a read-only array.")


def numerical_gradient(f, x, eps=1e-6):
    """Central differences df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) at every index i.

    f: function of x returning one number; x: float64 array of any shape. Each entry of x is
    perturbed in place, so f may also read x from outside (f = lambda _: loss(W) with x = W),
    and restored afterwards. Returns an array shaped like x; costs 2 * x.size calls of f.
    """
    _check_parameter(x, "numerical_gradient")
    eps = check_real(eps, "eps", "numerical_gradient", minimum=0, open_minimum=True, allowed="a small positive number")
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        original = x[i]
        try:
            x[i] = original + eps
            f_plus = _scalar_output(f(x))
            x[i] = original - eps
            f_minus = _scalar_output(f(x))
        finally:
            x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _factor_hint(analytic: np.ndarray, numerical: np.ndarray, atol: float) -> str:
    """Name a constant factor between the two gradients, the commonest slip in a derivation."""
    nonzero = np.abs(numerical) > atol
    if not nonzero.any():
        return ""
    ratio = analytic[nonzero] / numerical[nonzero]
    factor = ratio[0]
    if factor == 0 or not np.allclose(ratio, factor, rtol=1e-3) or np.isclose(factor, 1.0, rtol=1e-3):
        return ""
    if np.isclose(factor, -1.0, rtol=1e-3):
        return " Your gradient is the numerical one with the sign flipped."
    return (f" Your gradient is {_fmt(factor, 3)} times the numerical one at every entry: look for a missing "
            "constant factor, such as the 2 in d(x^2)/dx = 2x or the 1/N of a mean.")


@_reported
def check_gradient(f, x, grad, name="gradient", eps=1e-6, rtol=1e-4, atol=1e-7):
    """Fail unless the analytic gradient ``grad`` matches numerical_gradient(f, x, eps).

    f: the loss as a function of x; x: float64 array; grad: the student's df/dx, shaped like x.
    An entry passes if |a - n| <= atol + rtol * max(|a|, |n|) (analytic a, numerical n); the
    message reports the relative error |a - n| / max(|a|, |n|).
    """
    _check_name(name, "check_gradient")
    _check_parameter(x, "check_gradient")
    analytic = _numeric(grad, name)
    check_shape(analytic, x.shape, name)
    analytic = analytic.astype(np.float64)
    numerical = numerical_gradient(f, x, eps)
    _check_finite(analytic, numerical, name)
    with np.errstate(all="ignore"):
        error = np.abs(analytic - numerical)
        scale = np.maximum(np.abs(analytic), np.abs(numerical))
        allowed = atol + rtol * scale
        wrong = ~(error <= allowed) & ~(np.isnan(analytic) & np.isnan(numerical))
        if not wrong.any():
            return
        relative = np.where(scale > 0, error / scale, 0.0)
        index = np.unravel_index(np.argmax(np.where(wrong, error / allowed, -1.0)), x.shape)
    n, a = _fmt_pair(numerical[index], analytic[index])
    where = "" if x.ndim == 0 else f" at {int(wrong.sum())} of {wrong.size} entries (shape {_fmt_shape(x.shape)})"
    worst = "" if x.ndim == 0 else f", worst at index {_fmt_index(index)}"
    message = (f"{name} does not match the numerical gradient{where}{worst}: analytic {a}, numerical {n}, "
               f"relative error {_fmt(relative[index], 2)} (allowed about {rtol:g}).")
    if 0 < x.size <= _SHOWN_IN_FULL and x.ndim > 0:
        message += f" Analytic {_fmt_array(analytic)} numerical {_fmt_array(numerical)}."
    raise CheckFailure(message + _factor_hint(analytic, numerical, atol))


# ------------------------------------------------------------------ forbidding the reference
def _members(obj) -> list:
    """The Python functions behind a class attribute (methods, static/class methods, properties)."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, types.FunctionType):
        return [obj]
    if isinstance(obj, property):
        return [g for g in (obj.fget, obj.fset, obj.fdel) if isinstance(g, types.FunctionType)]
    return []


def _functions_of(reference) -> list:
    if isinstance(reference, types.MethodType):  # a bound method: trap the function it binds
        reference = reference.__func__
    if isinstance(reference, type):
        return [f for member in vars(reference).values() for f in _members(member)]
    if isinstance(reference, types.ModuleType):
        inside = [obj for obj in vars(reference).values() if isinstance(obj, (types.FunctionType, type))
                  and (getattr(obj, "__module__", None) or "").startswith(reference.__name__)]
        return [f for obj in inside for f in _functions_of(obj)]
    functions = _members(reference)
    if not functions:
        raise TypeError(f"forbid_reference can trap only functions, methods, classes and modules written in "
                        f"Python (it swaps their code); got {_describe(reference)}.")
    return functions


def _trap_code(function) -> types.CodeType:
    """A code object that raises the 'you called the reference' error, fit to replace function's."""
    code = function.__code__
    where = f"{function.__module__}.{function.__qualname__}"
    message = (f"Your code called the library's reference `{where}`; this test gives credit only for "
               "your own implementation, so write it without calling dlcourse's version.")
    # CPython accepts a new __code__ only with the same free variables as the closure it runs
    # in (a nested function's captured names, super()'s __class__), so the trap is compiled
    # inside a scope that defines exactly those names and mentions them.
    free = code.co_freevars
    lines = ["def _scope():", *(f"    {v} = None" for v in free), "    def _trap(*_args, **_kwargs):"]
    if free:
        lines.append(f"        ({', '.join(free)},)")
    lines += [f"        raise AssertionError({message!r})", "    return _trap"]
    namespace = {}
    exec(compile("\n".join(lines), "<dlcourse.checks.forbid_reference>", "exec"), namespace)
    trap = namespace["_scope"]().__code__
    if trap.co_freevars != free:
        raise TypeError(f"forbid_reference cannot trap `{where}`: its closure captures {free}, "
                        f"which a trap cannot reproduce; forbid the functions it is built from instead.")
    return trap.replace(co_name=code.co_name, co_qualname=code.co_qualname)


# function -> [its own code, how many active forbid_reference blocks trap it]; shared by every
# instance so that blocks nested or closed in any order restore the original code exactly once.
_trapped: dict = {}


class forbid_reference(contextlib.ContextDecorator):
    """Make dlcourse's reference implementations raise while the block runs.

        expected = dlcourse.nn.sigmoid(z)          # compute the reference value first
        with forbid_reference(dlcourse.nn.sigmoid, dlcourse.nn.Perceptron):
            got = sigmoid(z)                       # the student's function

    Arguments: functions, bound or static methods, classes (every function in the class's
    own __dict__) or modules (every function and class defined in them). The functions'
    code is swapped for a trap, so every alias (``from dlcourse.nn import sigmoid as s``)
    and every reference function that calls a trapped one raises too. Restored on exit,
    also after an exception; safe to nest and to reuse; also works as a decorator.
    """

    def __init__(self, *references):
        if not references:
            raise TypeError("forbid_reference expects at least one function, class or module to forbid.")
        functions = {id(f): f for reference in references for f in _functions_of(reference)}
        self._functions = list(functions.values())
        self._traps = [_trap_code(f) for f in self._functions]  # built first: a bad argument swaps nothing

    def __enter__(self):
        for function, trap in zip(self._functions, self._traps):
            entry = _trapped.setdefault(function, [function.__code__, 0])
            entry[1] += 1
            function.__code__ = trap
        return self

    def __exit__(self, *exc_info):
        for function in self._functions:
            entry = _trapped[function]
            entry[1] -= 1
            if entry[1] == 0:
                function.__code__ = entry[0]
                del _trapped[function]
        return False
