"""The files Binder (repo2docker) reads, checked offline: they parse and agree with requirements.txt."""

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED_PYTHONS = {(3, 10), (3, 11), (3, 12), (3, 13)}  # TensorFlow 2.21's wheels


def requirement_lines():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    return [line for line in lines if line]


def test_runtime_pins_a_python_that_tensorflow_supports():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"runtime.txt: expected 'python-3.X', got {runtime!r}"
    assert (int(match[1]), int(match[2])) in SUPPORTED_PYTHONS
    assert not (ROOT / "binder").exists(), "a binder/ folder would make Binder ignore the root files"


def test_requirements_parse_and_pin_compatible_releases():
    lines = requirement_lines()
    assert "-e .[tools]" in lines, (
        "Binder must install the course packages (with the tools extra) from the checkout"
    )
    for line in lines:
        if line == "-e .[tools]":
            continue
        requirement = Requirement(line)
        assert str(requirement.specifier).startswith("~="), f"{line}: pin with ~="


def test_installed_packages_satisfy_requirements():
    from importlib.metadata import PackageNotFoundError, version

    for line in requirement_lines():
        if line == "-e .[tools]":
            continue
        requirement = Requirement(line)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            raise AssertionError(f"{requirement.name} is required but not installed") from None
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement.name} {installed} vs {line}"
        )


def test_apt_txt_lists_debian_package_names_including_graphviz():
    packages = [line.strip() for line in (ROOT / "apt.txt").read_text().splitlines() if line.strip()]
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", name) for name in packages), packages
    assert "graphviz" in packages  # notebook 07 draws its model with keras.utils.plot_model


def test_python_running_the_tests_is_supported():
    assert sys.version_info[:2] in SUPPORTED_PYTHONS
