"""Loaded by ``pytest`` (see pyproject.toml): the tests and nbval run in quick mode with strict self-checks.

The variables are set before any notebook kernel starts, and kernels inherit them.
"""

import os

from course_utils import config as course_config


def pytest_configure(config):  # noqa: ARG001 - pytest passes its own config object
    os.environ.update(course_config.kernel_environment(quick=True, strict_checks=True))
