"""Checks on the committed notebooks: skeleton, links, stored outputs, results and the README table."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import badges, config, runner

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = config.notebook_paths(ROOT / "notebooks")
RESULTS = ROOT / "results" / "expected_results.json"
REQUIRED_HEADINGS = ["## Setup", "## Exercises", "## Summary", "## Further reading"]


def read(path):
    return nbformat.read(path, as_version=4)


def headings(notebook):
    return [
        line.strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under notebooks/"
    assert NOTEBOOKS[0].name.startswith("00_")
    assert all(re.match(r"^\d\d_[a-z0-9_]+\.ipynb$", path.name) for path in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(path):
    notebook = read(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        "the first cell must be the H1 title"
    )
    badge_cells = [cell for cell in notebook.cells if "badges" in cell.metadata.get("tags", [])]
    assert len(badge_cells) == 1 and badge_cells[0].source == badges.badge_markdown(path.name), (
        "run python -m course_utils.badges"
    )
    assert any(
        "What you'll learn" in cell.source for cell in notebook.cells[:4] if cell.cell_type == "markdown"
    )
    found = headings(notebook)
    positions = [found.index(heading) if heading in found else -1 for heading in REQUIRED_HEADINGS]
    assert -1 not in positions, (
        f"missing headings: {[h for h, p in zip(REQUIRED_HEADINGS, positions, strict=True) if p < 0]}"
    )
    assert positions == sorted(positions), f"headings out of order: {found}"
    teaching = found[positions[0] + 1 : positions[1]]
    assert teaching, "no teaching sections between Setup and Exercises"
    exercises = notebook.cells[
        [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and "## Exercises" in c.source][
            0
        ] :
    ]
    assert sum("checks.check_" in cell.source for cell in exercises if cell.cell_type == "code") >= 2, (
        "exercises need self-checks"
    )
    assert any("solution" in cell.metadata.get("tags", []) for cell in exercises), (
        "exercises need a worked solution"
    )
    assert notebook.metadata.get("course_summary"), "metadata.course_summary feeds the README's table"
    setup_cells = [cell for cell in notebook.cells if "setup" in cell.metadata.get("tags", [])]
    assert (
        len(setup_cells) == 1
        and badges.colab_install_command() in setup_cells[0].source
        and "setup.init(" in setup_cells[0].source
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_are_a_current_full_run(path):
    notebook = read(path)
    stamp = notebook.metadata.get("course")
    assert isinstance(stamp, dict), "never executed by the runner: python -m course_utils.runner " + str(
        path.relative_to(ROOT)
    )
    assert stamp["mode"] == "full", "stored outputs come from a quick run; re-run in full mode"
    assert stamp["source_sha256"] == runner.source_sha256(notebook), (
        "code changed since the outputs were made; re-run it"
    )
    code = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    errors = [
        output.get("ename") for cell in code for output in cell.outputs if output.output_type == "error"
    ]
    assert not errors, f"stored error outputs: {errors}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_results_hold_the_full_run_of_each_notebook(path):
    entry = json.loads(RESULTS.read_text())["notebooks"].get(path.stem)
    assert entry is not None, f"{path.stem} missing from results/expected_results.json"
    stamp = read(path).metadata["course"]
    assert entry["mode"] == "full" and entry["source_sha256"] == stamp["source_sha256"]
    assert entry["wall_time_s"] == stamp["wall_time_s"] > 0


def test_readme_table_matches_results():
    data = json.loads(RESULTS.read_text())
    table = runner.render_notebook_table(ROOT / "notebooks", data)
    assert table in (ROOT / "README.md").read_text(), "README's notebook table is stale: re-run the runner"
