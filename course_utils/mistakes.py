"""Proof that a self-check catches the typical wrong answers of its exercise.

After each worked solution a "common mistakes" cell feeds the exercise's check a few typical wrong answers,
each named by the mistake it stands for, with :func:`expect_rejected`. Each must be rejected; a check that
accepts one would teach a student that a wrong answer is right, so that raises an error (in the tests too).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

from course_utils import checks


class CheckAcceptedMistake(AssertionError):
    """A self-check passed an answer that is known to be wrong."""


def expect_rejected(check: Callable[..., bool], wrong_answer, mistake: str) -> str:
    """Call ``check(wrong_answer)`` and require that it rejects it; print and return what the check said.

    ``check`` is an exercise's check as a function of the answer (e.g. ``check_codes``, or
    ``lambda f: checks.check_function(f, CASES)``). Its own output is captured, so a rejection prints one line:
    the mistake and the check's message. Raises :class:`CheckAcceptedMistake` when the check accepts it.
    """
    if not callable(check):
        raise TypeError(
            f"check: expected the exercise's check as a function of the answer, got {type(check).__name__}"
        )
    if not isinstance(mistake, str) or not mistake.strip():
        raise ValueError(
            "mistake: expected a short description of the wrong answer, e.g. 'forgot the sigmoid'"
        )
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        try:
            verdict = check(wrong_answer)
        except checks.CheckFailed as failure:  # the runner and the tests make failed checks raise
            verdict, said = False, str(failure)
        else:
            said = output.getvalue()
    said = " ".join(line.strip() for line in said.strip().splitlines() if line.strip())
    if verdict is not False or "Not yet" not in said:
        raise CheckAcceptedMistake(
            f"the check accepted a typical wrong answer ({mistake}); it said: {said or 'nothing'}"
        )
    print(f"Rejected, as it should be: {mistake}.\n    {said}")
    return said
