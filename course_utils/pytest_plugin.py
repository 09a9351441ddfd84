"""Loaded by ``pytest`` (see pyproject.toml): the tests and nbval run in quick mode with strict self-checks.

The variables are set before any notebook kernel starts, and kernels inherit them.
"""

import os

from course_utils.setup import TF_LOG_LEVEL


def pytest_configure(config):
    os.environ["COURSE_QUICK"] = "1"
    os.environ["COURSE_CHECKS_RAISE"] = "1"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", TF_LOG_LEVEL)
