"""Self-checks for the exercises: a clear pass, or a hint.

In a student's session a wrong answer prints a hint and the notebook goes on. Under the course's runner
and the tests (``COURSE_CHECKS_RAISE=1``) it raises :class:`CheckFailed`, so no stored notebook and no
passing test holds a failing check. An answer of ``None`` means "not attempted yet": it is reported,
never raised, so the unsolved exercise cells can run in the tests. In a worked solution (a cell that
starts with ``SOLUTION_TITLE``) there is nothing left to attempt: ``None`` there is a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course_utils import config

SOLUTION_TITLE = "# @title Worked solution"


class CheckFailed(AssertionError):
    """A self-check found a wrong answer."""


def _fail(message: str, hint: str) -> bool:
    text = f"Not yet: {message}" + (f"\nHint: {hint}" if hint else "")
    if config.checks_raise():
        raise CheckFailed(text)
    print(text)
    return False


def _pass(message: str) -> bool:
    print(f"Correct: {message}")
    return True


_running_cell = {"source": ""}


def _remember_running_cell(info) -> None:
    _running_cell["source"] = getattr(info, "raw_cell", "") or ""


def _follow_ipython_cells() -> None:
    """Under IPython, remember the code of each cell as it starts (also for cells run without history, as
    nbval runs them), so a check knows whether it runs in a worked solution."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "events"):
        shell.events.register("pre_run_cell", _remember_running_cell)


def running_cell_source() -> str:
    """The code of the notebook cell that is running now ('' outside IPython)."""
    return _running_cell["source"]


_follow_ipython_cells()


def _not_attempted(name: str) -> bool:
    if running_cell_source().lstrip().startswith(SOLUTION_TITLE):  # always raised: a solution is broken
        raise CheckFailed(f"{name} is None in a worked solution: a worked solution must compute its answer.")
    print(
        f"No answer yet ({name} is None): write your answer in the cell above, run it, then run this check again."
    )
    return False


def check_shape(value, expected: tuple, name: str = "your answer", hint: str = "") -> bool:
    """Pass when ``value`` has shape ``expected`` (None in ``expected`` matches any size)."""
    if value is None:
        return _not_attempted(name)
    shape = tuple(np.shape(value))
    matches = len(shape) == len(expected) and all(
        want is None or want == got for want, got in zip(expected, shape, strict=False)
    )
    if matches:
        return _pass(f"{name} has shape {shape}.")
    return _fail(f"{name} has shape {shape}, expected {tuple(expected)}.", hint)


def check_close(
    value, expected, name: str = "your answer", rtol: float = 1e-5, atol: float = 1e-8, hint: str = ""
) -> bool:
    """Pass when ``value`` equals ``expected`` within the tolerances (same shape, numbers only)."""
    if value is None:
        return _not_attempted(name)
    actual, wanted = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    if actual.shape != wanted.shape:
        return _fail(f"{name} has shape {actual.shape}, expected {wanted.shape}.", hint)
    if np.allclose(actual, wanted, rtol=rtol, atol=atol, equal_nan=False):
        return _pass(f"{name} matches the expected value.")
    worst = float(np.max(np.abs(actual - wanted))) if actual.size else 0.0
    shown = (
        f"{float(actual):.6g}, expected {float(wanted):.6g}"
        if actual.size == 1
        else f"largest difference {worst:.3g}"
    )
    return _fail(f"{name} is {shown}.", hint)


def check_true(condition, message: str, hint: str = "") -> bool:
    """Pass when ``condition`` holds; ``message`` says what was checked."""
    if condition is None:
        return _not_attempted("your answer")
    return _pass(message) if bool(condition) else _fail(f"expected: {message}", hint)


def check_function(
    function: Callable | None,
    cases: Iterable[tuple[tuple, object]],
    name: str | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    hint: str = "",
) -> bool:
    """Call ``function(*args)`` for each ``(args, expected)`` in ``cases`` and compare the results."""
    if function is None:
        return _not_attempted(name or "your function")
    label = name or getattr(function, "__name__", "your function")
    cases = list(cases)
    for number, (args, expected) in enumerate(cases, start=1):
        try:
            result = function(*args)
        except NotImplementedError:
            return _not_attempted(label)
        except Exception as error:
            return _fail(f"{label} raised {type(error).__name__}: {error} on test case {number}.", hint)
        if result is None:
            return _not_attempted(f"{label}'s result")
        actual, wanted = np.asarray(result, dtype=float), np.asarray(expected, dtype=float)
        if actual.shape != wanted.shape or not np.allclose(actual, wanted, rtol=rtol, atol=atol):
            return _fail(
                f"{label} gives {np.round(actual, 6).tolist()} on test case {number}, expected {np.round(wanted, 6).tolist()}.",
                hint,
            )
    return _pass(f"{label} passes all {len(cases)} test cases.")
