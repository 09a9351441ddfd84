"""Where the course reads its settings from: quick mode, the data folder, the output folders.

Every setting is read from the environment when it is asked for, so a test or the runner
can change it without re-importing the module.

- ``COURSE_QUICK=1``: quick mode (fewer epochs and samples; what CI and ``pytest`` use).
- ``COURSE_DATA_DIR``: a folder that holds the datasets offline (see README, "Offline data").
- ``COURSE_OUTPUT_DIR``: where generated figures, checkpoints and models go (default ``./generated``).
- ``COURSE_CHECKS_RAISE=1``: self-checks raise on a wrong answer instead of printing a hint
  (set by the runner and the tests, so that no stored notebook holds a failing check).
- ``COURSE_RESULTS_FILE``: set by the runner; ``results.record`` appends metrics to it.
- ``COURSE_SEED``: an integer that replaces the seed every notebook passes to ``setup.init``, so the
  whole course can be run with another seed (``COURSE_SEED=3 pytest``).

``kernel_environment`` is the one place that says what a notebook kernel needs in its environment;
``setup.init``, the runner, the pytest plugin and the browser test all use it.
"""

from __future__ import annotations

import os
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}
# TensorFlow's native log level: 3 also hides tf.data notes that would otherwise land in cell outputs.
TF_LOG_LEVEL = "3"


def kernel_environment(quick: bool | None = None, strict_checks: bool | None = None) -> dict[str, str]:
    """The environment variables a notebook kernel runs with.

    Always: the TensorFlow backend for Keras, TensorFlow's native logs silenced, and GPU memory that grows
    as needed (so a kernel started after another TensorFlow process still finds free GPU memory). With
    ``quick`` (True/False) also ``COURSE_QUICK``, with ``strict_checks`` also ``COURSE_CHECKS_RAISE``;
    None leaves that variable out.
    """
    environment = {
        "KERAS_BACKEND": "tensorflow",
        "TF_CPP_MIN_LOG_LEVEL": TF_LOG_LEVEL,
        "TF_FORCE_GPU_ALLOW_GROWTH": "true",
    }
    if quick is not None:
        environment["COURSE_QUICK"] = "1" if quick else "0"
    if strict_checks is not None:
        environment["COURSE_CHECKS_RAISE"] = "1" if strict_checks else "0"
    return environment


def env_flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"environment variable {name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def quick_mode() -> bool:
    """True when ``COURSE_QUICK`` asks for quick mode (fewer epochs and samples)."""
    return env_flag("COURSE_QUICK")


def seed_override() -> int | None:
    """The integer in ``COURSE_SEED``, or None when it is not set; anything else is a clear error."""
    raw = os.environ.get("COURSE_SEED", "").strip()
    if not raw:
        return None
    try:
        seed = int(raw)
    except ValueError:
        raise ValueError(
            f"COURSE_SEED: expected a non-negative integer such as 3, got {raw!r}; unset it to use the notebooks' seeds"
        ) from None
    if seed < 0:
        raise ValueError(f"COURSE_SEED: expected a non-negative integer, got {seed}")
    return seed


def checks_raise() -> bool:
    """True when self-checks must raise on a wrong answer (runner and tests)."""
    return env_flag("COURSE_CHECKS_RAISE")


def data_dir() -> Path | None:
    """The offline data folder named by ``COURSE_DATA_DIR``, or None when it is not set.

    A relative path is taken from the current directory and returned absolute.
    """
    raw = os.environ.get("COURSE_DATA_DIR", "").strip()
    if not raw:
        return None
    return Path(raw).expanduser().resolve()


def output_dir() -> Path:
    """Folder for everything the notebooks generate (``COURSE_OUTPUT_DIR``, default ``./generated``)."""
    raw = os.environ.get("COURSE_OUTPUT_DIR", "").strip()
    return Path(raw).expanduser().resolve() if raw else Path.cwd().resolve() / "generated"


def figures_dir() -> Path:
    """Folder where ``plots.save_fig`` writes figures; created on demand."""
    path = output_dir() / "figures"
    path.mkdir(parents=True, exist_ok=True)
    return path


def checkpoints_dir() -> Path:
    """Folder for model checkpoints and saved models; created on demand."""
    path = output_dir() / "checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


def results_file() -> Path | None:
    """The file the runner collects recorded metrics from, or None outside the runner."""
    raw = os.environ.get("COURSE_RESULTS_FILE", "").strip()
    return Path(raw) if raw else None
