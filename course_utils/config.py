"""Where the course reads its settings from: quick mode, the data folder, the output folders.

Every setting is read from the environment when it is asked for, so a test or the runner
can change it without re-importing the module.

- ``COURSE_QUICK=1``: quick mode (fewer epochs and samples; what CI and ``pytest`` use).
- ``COURSE_DATA_DIR``: a folder that holds the datasets offline (see README, "Offline data").
- ``COURSE_OUTPUT_DIR``: where generated figures, checkpoints and models go (default ``./generated``).
- ``COURSE_CHECKS_RAISE=1``: self-checks raise on a wrong answer instead of printing a hint
  (set by the runner and the tests, so that no stored notebook holds a failing check).
- ``COURSE_RESULTS_FILE``: set by the runner; ``results.record`` appends metrics to it.
"""

from __future__ import annotations

import os
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def _env_flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"environment variable {name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def quick_mode() -> bool:
    """True when ``COURSE_QUICK`` asks for quick mode (fewer epochs and samples)."""
    return _env_flag("COURSE_QUICK")


def checks_raise() -> bool:
    """True when self-checks must raise on a wrong answer (runner and tests)."""
    return _env_flag("COURSE_CHECKS_RAISE")


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


def repo_root() -> Path | None:
    """The course repository's root when the package runs from a checkout, else None (e.g. on Colab)."""
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file() and (here / "notebooks").is_dir():
        return here
    return None


def notebook_paths(folder) -> list[Path]:
    """The notebooks in ``folder`` (the course's ``notebooks/``), in lesson order."""
    return sorted(Path(folder).glob("*.ipynb"))
