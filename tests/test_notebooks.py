"""Checks on the committed notebooks: skeleton, stored outputs and their stamps, results and the README table."""

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_tools import badges, guards, notebook_io, runner
from course_utils import checks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = notebook_io.notebook_paths(ROOT / "notebooks")
RESULTS = ROOT / "results" / "expected_results.json"
REQUIRED_HEADINGS = ["Setup", "Exercises", "Summary", "Further reading"]


def read(path):
    return nbformat.read(path, as_version=4)


def stored_text(cell) -> str:
    """Everything a code cell printed or displayed as text."""
    return "\n".join(
        text
        for output in cell.get("outputs", [])
        if output.output_type != "error"
        for text in guards.output_texts(output, mimes=("text/plain",))
    )


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under notebooks/"
    assert NOTEBOOKS[0].name.startswith("00_")
    assert all(re.match(r"^\d\d_[a-z0-9_]+\.ipynb$", path.name) for path in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(path):
    notebook = read(path)
    titles = notebook_io.headings(notebook, level=1)
    assert titles and titles[0][0] == 0 and len(titles) == 1, (
        "the first cell, and only it, holds the H1 title"
    )
    badge_cells = notebook_io.tagged_cells(notebook, "badges")
    assert len(badge_cells) == 1 and badge_cells[0].source == badges.badge_markdown(path.name), (
        "run python -m course_tools.badges"
    )
    assert any(
        "What you'll learn" in cell.source for cell in notebook.cells[:4] if cell.cell_type == "markdown"
    )
    sections = notebook_io.headings(notebook, level=2)
    found = [text for _, text in sections]
    positions = [found.index(heading) if heading in found else -1 for heading in REQUIRED_HEADINGS]
    assert -1 not in positions, (
        f"missing headings: {[h for h, p in zip(REQUIRED_HEADINGS, positions, strict=True) if p < 0]}"
    )
    assert positions == sorted(positions), f"headings out of order: {found}"
    assert found[positions[0] + 1 : positions[1]], "no teaching sections between Setup and Exercises"
    exercises = notebook.cells[sections[positions[1]][0] :]
    assert sum("checks.check_" in cell.source for cell in exercises if cell.cell_type == "code") >= 2, (
        "exercises need self-checks"
    )
    assert any("solution" in notebook_io.cell_tags(cell) for cell in exercises), (
        "exercises need a worked solution"
    )
    assert notebook.metadata.get("course_summary"), "metadata.course_summary feeds the README's table"
    setup_cells = notebook_io.tagged_cells(notebook, "setup")
    assert (
        len(setup_cells) == 1
        and badges.colab_install_command() in setup_cells[0].source
        and "setup.init(" in setup_cells[0].source
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_are_a_full_run_of_the_current_code_package_and_data(path):
    notebook = read(path)
    problems = runner.stamp_problems(notebook, ROOT)
    assert not problems, f"re-run it: python -m course_tools.runner {path.relative_to(ROOT)} ({problems})"
    code = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    errors = [
        output.get("ename") for cell in code for output in cell.outputs if output.output_type == "error"
    ]
    assert not errors, f"stored error outputs: {errors}"


# A student's full run of one notebook on a 2-core laptop must stay within this (issue 11's "done when").
FULL_RUN_LIMIT_S = 300


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_stored_full_run_took_at_most_five_minutes(path):
    stamp = read(path).metadata["course"]
    cores = stamp["machine"]["cpu_count"]
    assert stamp["wall_time_s"] <= FULL_RUN_LIMIT_S, (
        f"{path.name}: its full run took {stamp['wall_time_s']:.0f} s on {cores} cores, over the "
        f"{FULL_RUN_LIMIT_S} s a student's 2-core machine may spend: make it cheaper, or split the notebook"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_stamp_names_the_data_each_loader_read(path):
    notebook = read(path)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    loaders = set(re.findall(r"data\.load_(\w+)\(", code))
    names = {dataset["name"] for dataset in notebook.metadata["course"]["data"]}
    expected = {
        {"fashion_mnist": "Fashion-MNIST", "mnist": "MNIST", "olivetti_faces": "Olivetti faces"}[name]
        for name in loaders
    }
    assert names == expected, f"loaders called: {sorted(loaders)}; stamp names {sorted(names)}"
    for dataset in notebook.metadata["course"]["data"]:
        assert dataset["source"] and dataset["n_train"] > 0 and dataset["n_test"] > 0
        assert dataset["n_val"] > 0, "every load carries a validation split carved from the training data"
        assert "/root/" not in dataset["source"] and "/home/" not in dataset["source"], dataset["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_results_hold_the_full_run_of_each_notebook(path):
    entry = json.loads(RESULTS.read_text())["notebooks"].get(path.stem)
    assert entry is not None, f"{path.stem} missing from results/expected_results.json"
    stamp = read(path).metadata["course"]
    quick_seconds = entry.pop("quick_wall_time_s", None)  # timed by the runner after the full run
    assert entry == runner.results_entry(stamp, entry["metrics"]), "results entry differs from the stamp"
    assert quick_seconds is not None and 0 < quick_seconds < stamp["wall_time_s"], (
        f"{path.stem}: no quick-mode time after the full run (the instructors' guide needs it): re-run it"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_recorded_metric_is_printed_in_the_stored_outputs(path):
    """results.record prints 'name = value unit': a hand-edited results file has no such line."""
    metrics = json.loads(RESULTS.read_text())["notebooks"][path.stem]["metrics"]
    printed = "\n".join(stored_text(cell) for cell in read(path).cells if cell.cell_type == "code")
    missing = [
        f"{name} = {metric['value']:.6g} {metric['unit']}"
        for name, metric in metrics.items()
        if f"{name} = {metric['value']:.6g} {metric['unit']}" not in printed
    ]
    assert not missing, f"recorded but not in the notebook's outputs: {missing}"


def test_results_readme_is_what_the_runner_renders():
    data = json.loads(RESULTS.read_text())
    assert (ROOT / "results" / "README.md").read_text() == runner.render_results_markdown(data), (
        "results/README.md was edited by hand or is stale: re-run the runner"
    )


def test_readme_table_matches_results():
    data = json.loads(RESULTS.read_text())
    table = runner.render_notebook_table(ROOT / "notebooks", data)
    assert table in (ROOT / "README.md").read_text(), "README's notebook table is stale: re-run the runner"


def test_instructors_guide_timing_matches_results_and_is_linked():
    from course_tools import instructors

    data = json.loads(RESULTS.read_text())
    table = instructors.render_timing_table(ROOT / "notebooks", data)
    guide = (ROOT / "INSTRUCTORS.md").read_text()
    assert table in guide, "INSTRUCTORS.md's timing table is stale: python -m course_tools.instructors"
    assert "not timed" not in table, "a notebook's quick run was not timed: re-run it with the runner"
    for path in notebook_io.notebook_paths(ROOT / "notebooks"):
        assert f"### {path.stem[:2]} · " in guide, f"INSTRUCTORS.md has no section for {path.name}"
    assert "(INSTRUCTORS.md)" in (ROOT / "README.md").read_text(), "the README does not link the guide"


def is_checks_call(node) -> bool:
    """``checks.check_*(...)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr.startswith("check_")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "checks"
    )


def check_helpers(notebook) -> set[str]:
    """The notebook's own functions named ``check_*`` whose body calls ``checks.check_*`` (an exercise's
    several checks gathered in one function, so the exercise cell and its solution run the same ones)."""
    helpers = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(notebook_io.python_code(cell.source))):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("check_")
                and any(is_checks_call(inner) for inner in ast.walk(node))
            ):
                helpers.add(node.name)
    return helpers


def check_calls(source: str, helpers: set[str] = frozenset()) -> tuple[int, int]:
    """(checks.check_* calls, calls of the notebook's own check helpers) in a cell's code."""
    nodes = list(ast.walk(ast.parse(notebook_io.python_code(source))))
    direct = sum(is_checks_call(node) for node in nodes)
    via_helpers = sum(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers
        for node in nodes
    )
    return direct, via_helpers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_worked_solution_passes_each_of_its_checks(path):
    notebook = read(path)
    helpers = check_helpers(notebook)
    for cell in notebook_io.tagged_cells(notebook, "solution"):
        assert cell.source.startswith(checks.SOLUTION_TITLE), (
            f"a worked solution must start with {checks.SOLUTION_TITLE!r}, so its checks treat None as wrong"
        )
        direct, via_helpers = check_calls(cell.source, helpers)
        text = stored_text(cell)
        correct = sum(line.startswith("Correct: ") for line in text.splitlines())
        assert direct + via_helpers >= 1, f"this worked solution checks nothing:\n{cell.source[:300]}"
        assert "Not yet" not in text, f"a check failed in the stored output of:\n{cell.source[:300]}"
        # a helper runs one or more checks, each printing its own "Correct" line when it passes
        assert correct == direct if not via_helpers else correct >= direct + via_helpers, (
            f"{direct} check call(s) and {via_helpers} helper call(s) but {correct} 'Correct' line(s) in the "
            f"stored output of:\n{cell.source[:300]}"
        )


# Issue 13 converts the exercises notebook by notebook, each when it is re-run in full; these have no
# common-mistakes cells yet. Remove a notebook from this set when its exercises get theirs.
MISTAKES_PENDING = {
    "00_start_here",
    "02_deep_autoencoder",
    "03_convolutional_autoencoder",
}


def exercise_blocks(notebook):
    """{exercise heading: its cells}, for every '### Exercise' after '## Exercises'."""
    blocks, current = {}, None
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## ") and current is not None:
            current = None
        if cell.cell_type == "markdown" and cell.source.startswith("### Exercise"):
            current = cell.source.splitlines()[0]
            blocks[current] = []
        elif current is not None:
            blocks[current].append(cell)
    return blocks


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.stem not in MISTAKES_PENDING], ids=lambda p: p.stem
)
def test_every_exercise_proves_its_check_rejects_two_typical_mistakes(path):
    """After the worked solution, a collapsed 'common-mistakes' cell feeds the check at least two typical wrong
    answers through mistakes.expect_rejected, and its stored full run shows each one rejected."""
    blocks = exercise_blocks(read(path))
    assert blocks, "no '### Exercise' headings found"
    for heading, cells in blocks.items():
        tagged = [cell for cell in cells if "common-mistakes" in cell.metadata.get("tags", [])]
        assert tagged, f"{heading}: no cell tagged 'common-mistakes'"
        for cell in tagged:
            assert cell.metadata.get("jupyter", {}).get("source_hidden"), (
                f"{heading}: collapse the mistakes cell"
            )
            assert "mistakes.expect_rejected" in cell.source
        rejected = sum(stored_text(cell).count("Rejected, as it should be:") for cell in tagged)
        assert rejected >= 2, f"{heading}: {rejected} wrong answer(s) shown rejected, at least 2 needed"


def test_the_pending_list_names_real_notebooks_only():
    assert {path.stem for path in NOTEBOOKS} >= MISTAKES_PENDING
