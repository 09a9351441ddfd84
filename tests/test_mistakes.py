"""The proof that a check rejects typical wrong answers must itself fail when a check lets one through."""

import pytest

from course_utils import checks, mistakes


def check_double(function):
    return checks.check_function(function, [((1,), 2), ((3,), 6)])


def test_a_rejected_mistake_prints_the_mistake_and_the_check_message(capsys, monkeypatch):
    for raising in ("0", "1"):  # a student's session, and the runner and tests
        monkeypatch.setenv("COURSE_CHECKS_RAISE", raising)
        said = mistakes.expect_rejected(check_double, lambda x: x + 1, "added instead of multiplied")
        printed = capsys.readouterr().out
        assert "Not yet" in said and "gives 4.0 on test case 2" in said
        assert printed.startswith("Rejected, as it should be: added instead of multiplied.")


def test_an_accepted_mistake_raises(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "1")
    weak_check = lambda function: checks.check_function(function, [((0,), 0)])  # noqa: E731
    with pytest.raises(mistakes.CheckAcceptedMistake, match="squared instead of doubled"):
        mistakes.expect_rejected(weak_check, lambda x: x * x, "squared instead of doubled")


def test_an_unattempted_answer_does_not_count_as_rejected(monkeypatch):
    """None means 'not attempted': the check reports it without 'Not yet', which proves nothing."""
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "1")
    with pytest.raises(mistakes.CheckAcceptedMistake):
        mistakes.expect_rejected(
            lambda answer: checks.check_close(answer, 1.0), None, "left the answer empty"
        )


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="check:"):
        mistakes.expect_rejected("not a function", 1, "x")
    with pytest.raises(ValueError, match="mistake:"):
        mistakes.expect_rejected(check_double, 1, " ")
