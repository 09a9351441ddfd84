"""What produced a notebook's outputs, read from inside its kernel at the end of a run.

The runner appends ``provenance.report()`` as a last, temporary cell; it prints one line that starts with
``MARKER``: the course modules the notebook imported with their SHA-256, the datasets it loaded (source line
and the files' pinned SHA-256), and the versions of the packages the kernel ran with.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from pathlib import Path

MARKER = "COURSE-PROVENANCE "
STUDENT_PACKAGE = "course_utils"
VERSIONED_PACKAGES = (
    "tensorflow",
    "keras",
    "numpy",
    "scipy",
    "matplotlib",
    "scikit-learn",
    "ipywidgets",
    "ipykernel",
)
REPORT_CODE = "from course_tools import provenance\nprovenance.report()"


def module_key(module_file) -> str:
    """'course_utils/data.py' for a module file of the student package (its path inside the repository)."""
    path = Path(module_file).resolve()
    parts = path.parts
    index = len(parts) - 1 - parts[::-1].index(STUDENT_PACKAGE)
    return "/".join(parts[index:])


def imported_course_modules() -> dict[str, str]:
    """{'course_utils/data.py': sha256, ...} for every module of the student package in ``sys.modules``."""
    files = [
        module.__file__
        for name, module in list(sys.modules.items())
        if (name == STUDENT_PACKAGE or name.startswith(STUDENT_PACKAGE + "."))
        and getattr(module, "__file__", None)
    ]
    from course_utils.data import sha256_of  # after the list: this import must not add to it

    return dict(sorted((module_key(path), sha256_of(Path(path))) for path in files))


def package_versions() -> dict[str, str]:
    """Python's version and those of the packages that shape a notebook's numbers, as this process has them."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def collect() -> dict:
    """Modules, datasets and versions of this process (the notebook's kernel)."""
    data_module = sys.modules.get(f"{STUDENT_PACKAGE}.data")  # None when the notebook loaded no data
    modules = imported_course_modules()
    datasets = data_module.loaded_datasets() if data_module is not None else []
    return {"package_sha256": modules, "data": datasets, "versions": package_versions()}


def report() -> None:
    """Print the provenance line the runner reads."""
    print(MARKER + json.dumps(collect(), sort_keys=True))


def parse(text: str) -> dict:
    """The provenance in a cell's printed ``text``; ValueError when it holds none."""
    for line in text.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise ValueError(f"no line starting with {MARKER!r} in the provenance cell's output: {text[-500:]!r}")
