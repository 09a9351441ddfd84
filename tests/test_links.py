"""Launch links that cannot drift: every badge points at a file that exists and, in a notebook, at itself;
the Colab branch of every Setup cell installs the course package and does nothing off Colab."""

import re
import sys
import types
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement

from course_tools import badges, notebook_io

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = notebook_io.notebook_paths(ROOT / "notebooks")
LINK = re.compile(
    r"https://(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh)/([\w.-]+/[\w.-]+)/"
    r"(?:blob/)?([\w.-]+)(?:/|\?urlpath=lab/tree/)(notebooks/[\w.-]+\.ipynb)"
)


def launch_links(text):
    return LINK.findall(text)


def test_link_pattern_reads_both_kinds_of_badge():
    links = launch_links(badges.badge_markdown("03_x.ipynb"))
    assert links == [(badges.REPOSITORY, badges.BRANCH, "notebooks/03_x.ipynb")] * 2


def test_readme_badges_are_current_and_point_at_an_existing_notebook():
    readme = (ROOT / "README.md").read_text()
    assert badges.badge_markdown(badges.README_NOTEBOOK) in readme, "run python -m course_tools.badges"
    links = launch_links(readme)
    assert len(links) >= 2
    for repository, branch, path in links:
        assert (repository, branch) == (badges.REPOSITORY, badges.BRANCH)
        assert (ROOT / path).is_file(), f"README badge points at missing {path}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_badges_point_at_the_notebook_itself(path):
    notebook = nbformat.read(path, as_version=4)
    links = [
        link for cell in notebook.cells if cell.cell_type == "markdown" for link in launch_links(cell.source)
    ]
    assert len(links) == 2, f"expected one Colab and one Binder link, found {links}"
    for repository, branch, target in links:
        assert (repository, branch) == (badges.REPOSITORY, badges.BRANCH)
        assert target == f"notebooks/{path.name}", f"{path.name}'s badge points at {target}"
        assert (ROOT / target).is_file()


class FakeShell:
    """Records the line magics that a cell's code asks IPython to run."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def run_colab_branch(path, on_colab, monkeypatch):
    """Run the part of the Setup cell before course_utils is imported, as IPython would, with a fake shell."""
    setup_cell = notebook_io.tagged_cells(nbformat.read(path, as_version=4), "setup")[0]
    head = setup_cell.source.split("from course_utils import setup")[0]
    code = TransformerManager().transform_cell(head)
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    shell = FakeShell()
    exec(code, {"get_ipython": lambda: shell})
    return shell.magics


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_installs_the_course_only_on_colab(path, monkeypatch):
    assert run_colab_branch(path, on_colab=False, monkeypatch=monkeypatch) == []
    magics = run_colab_branch(path, on_colab=True, monkeypatch=monkeypatch)
    assert magics == [("pip", badges.colab_install_command().removeprefix("%pip "))]
    spec = re.search(r'"([^"]+)"', magics[0][1]).group(1)  # quoted, so the shell passes it whole
    requirement = Requirement(spec)
    assert requirement.name == "course-utils"
    assert requirement.url == f"git+https://github.com/{badges.REPOSITORY}@{badges.BRANCH}"
    assert "--upgrade" not in magics[0][1] and "-U" not in magics[0][1].split()


def test_package_keeps_colabs_preinstalled_versions():
    import tomllib  # Python 3.11+, which runtime.txt names

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for dependency in dependencies:
        specifier = str(Requirement(dependency).specifier)
        assert specifier.startswith(">=") and "," not in specifier, (
            f"{dependency}: only a lower bound, please"
        )
