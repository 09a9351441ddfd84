import hashlib
import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_tools import badges, notebook_io, runner
from course_utils import config, setup
from course_utils.data import sha256_of

ROOT = Path(__file__).resolve().parent.parent


def test_version_tuple_and_check_versions():
    assert setup.version_tuple("2.21.0rc1") == (2, 21, 0)
    assert setup.version_tuple("3.15") == (3, 15)
    setup.check_versions({"tensorflow": "2.21.0", "keras": "3.15.1", "numpy": "2.4.6"})
    with pytest.raises(RuntimeError, match=r"keras 3.5.0 \(needs >= 3.6\)"):
        setup.check_versions({"tensorflow": "2.21.0", "keras": "3.5.0", "numpy": "2.4.6"})


def test_kernels_get_one_environment_everywhere():
    """The pytest plugin (already loaded), setup.init and the runner all use config.kernel_environment."""
    expected = config.kernel_environment(quick=True, strict_checks=True)
    assert expected["TF_FORCE_GPU_ALLOW_GROWTH"] == "true" and expected["KERAS_BACKEND"] == "tensorflow"
    assert {name: os.environ.get(name) for name in expected} == expected
    assert config.kernel_environment(quick=False)["COURSE_QUICK"] == "0"
    assert "COURSE_CHECKS_RAISE" not in config.kernel_environment()


def test_init_seeds_and_reports(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_QUICK", "1")
    environment = setup.init(seed=7)
    first = np.random.rand(3)  # noqa: NPY002 - init must seed NumPy's legacy global generator too
    setup.init(seed=7, verbose=False)
    np.testing.assert_array_equal(first, np.random.rand(3))  # noqa: NPY002
    assert environment.quick and environment.seed == 7 and not environment.in_colab
    assert any(device.startswith("CPU") for device in environment.devices)
    assert "mode: QUICK" in capsys.readouterr().out


def test_course_seed_overrides_the_notebooks_seed(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_SEED", "3")
    environment = setup.init(seed=42)
    first = np.random.rand(3)  # noqa: NPY002
    monkeypatch.delenv("COURSE_SEED")
    setup.init(seed=3, verbose=False)
    np.testing.assert_array_equal(first, np.random.rand(3))  # noqa: NPY002 - the same stream as seed 3
    assert environment.seed == 3
    assert "seed 3 (from COURSE_SEED)" in capsys.readouterr().out
    for bad in ("seven", "-1", "1.5"):
        monkeypatch.setenv("COURSE_SEED", bad)
        with pytest.raises(ValueError, match="COURSE_SEED"):
            setup.init(seed=42, verbose=False)


def test_source_sha256_follows_the_stamp_definition():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("a = 1"),
            nbformat.v4.new_markdown_cell("text"),
            nbformat.v4.new_code_cell("b"),
        ]
    )
    expected = hashlib.sha256(json.dumps(["a = 1", "b"]).encode("utf-8")).hexdigest()
    assert runner.source_sha256(notebook) == expected
    assert (
        runner.source_sha256(
            {"cells": [{"cell_type": "code", "source": ["a ", "= 1"]}, {"cell_type": "code", "source": "b"}]}
        )
        == expected
    )


def _notebook(path, code):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Tiny\n\nA test notebook."), nbformat.v4.new_code_cell(code)]
    )
    notebook.metadata["course_summary"] = "tests the runner"
    nbformat.write(notebook, path)


def test_runner_executes_stamps_and_collects(tmp_path):
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01_tiny.ipynb"
    _notebook(
        path,
        "from course_utils import config, results\nresults.record('answer', 42 if not config.quick_mode() else 1, 'things')",
    )
    (tmp_path / "README.md").write_text(f"intro\n{runner.TABLE_START}\nold\n{runner.TABLE_END}\nend\n")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "expected_results.json").write_text(
        json.dumps(
            {
                "notebooks": {
                    "00_other": {
                        "mode": "full",
                        "wall_time_s": 3.0,
                        "source_sha256": "x",
                        "executed_at": "t",
                        "machine": {"cpu_count": 64, "platform": "elsewhere"},
                        "metrics": {},
                    }
                }
            }
        )
    )
    assert runner.main(["--root", str(tmp_path)]) == 0
    notebook = nbformat.read(path, as_version=4)
    stamp = notebook.metadata["course"]
    assert stamp["mode"] == "full" and stamp["source_sha256"] == runner.source_sha256(notebook)
    assert stamp["code_sha256"] == runner.code_sha256(notebook)
    assert stamp["wall_time_s"] >= 0 and stamp["machine"]["cpu_count"] >= 1
    assert stamp["versions"]["keras"] != "not installed" and stamp["data"] == []
    # the kernel imported config and results (and the package itself), and their files' hashes are recorded
    assert {"course_utils/__init__.py", "course_utils/config.py", "course_utils/results.py"} <= set(
        stamp["package_sha256"]
    )
    assert stamp["package_sha256"]["course_utils/results.py"] == sha256_of(
        ROOT / "course_utils" / "results.py"
    )
    assert runner.stamp_problems(notebook, ROOT) == []
    assert len(notebook.cells) == 2, "the provenance cell is removed"
    assert (
        notebook.cells[1].execution_count == 1
        and "answer = 42 things" in notebook.cells[1].outputs[0]["text"]
    )
    data = json.loads((tmp_path / "results" / "expected_results.json").read_text())
    assert set(data["notebooks"]) == {"00_other", "01_tiny"}
    assert data["notebooks"]["00_other"]["machine"] == {"cpu_count": 64, "platform": "elsewhere"}, (
        "a partial run must keep the other entries' machine"
    )
    assert data["notebooks"]["01_tiny"]["machine"] == runner.machine_info() and "machine" not in data
    assert data["notebooks"]["01_tiny"]["metrics"] == {"answer": {"value": 42, "unit": "things"}}
    rendered = (tmp_path / "results" / "README.md").read_text()
    assert "| `answer` | 42 | things |" in rendered and "64 CPU cores, elsewhere" in rendered
    readme = (tmp_path / "README.md").read_text()
    assert (
        "| 01 | [Tiny](notebooks/01_tiny.ipynb) | tests the runner |" in readme
        and "old" not in readme
        and readme.endswith("end\n")
    )


def test_runner_quick_mode_leaves_results_alone_and_failures_leave_the_file(tmp_path):
    (tmp_path / "notebooks").mkdir()
    good, bad = tmp_path / "notebooks" / "01_good.ipynb", tmp_path / "notebooks" / "02_bad.ipynb"
    _notebook(good, "from course_utils import config\nassert config.quick_mode()")
    _notebook(bad, "raise RuntimeError('boom')")
    before = bad.read_text()
    assert runner.main(["--quick", "--root", str(tmp_path)]) == 1
    assert nbformat.read(good, as_version=4).metadata["course"]["mode"] == "quick"
    assert bad.read_text() == before
    assert not (tmp_path / "results").exists()


def test_badges_point_at_their_own_notebook(tmp_path):
    url = badges.colab_url("03_x.ipynb")
    assert url.endswith(f"{badges.REPOSITORY}/blob/{badges.BRANCH}/notebooks/03_x.ipynb")
    assert "urlpath=lab/tree/notebooks/03_x.ipynb" in badges.binder_url("03_x.ipynb")
    path = tmp_path / "03_x.ipynb"
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("[old badge](https://example.org)", metadata={"tags": ["badges"]}),
            nbformat.v4.new_code_cell(
                'if COLAB:\n    %pip install -q "course-utils @ git+https://github.com/old/name@dev"',
                metadata={"tags": ["setup"]},
            ),
        ]
    )
    nbformat.write(notebook, path)
    assert badges.update_notebook(path)
    updated = nbformat.read(path, as_version=4)
    assert updated.cells[0].source == badges.badge_markdown("03_x.ipynb")
    assert updated.cells[1].source == "if COLAB:\n    " + badges.colab_install_command()
    assert not badges.update_notebook(path)


def test_readme_badges_are_rewritten_between_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Course\n\n<!-- badges:start -->\n[old](https://example.org)\n<!-- badges:end -->\n\ntext\n"
    )
    assert badges.update_readme(readme)
    assert readme.read_text() == (
        "# Course\n\n<!-- badges:start -->\n"
        + badges.badge_markdown(badges.README_NOTEBOOK)
        + "\n<!-- badges:end -->\n\ntext\n"
    )
    assert not badges.update_readme(readme)
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="markers"):
        badges.update_readme(readme)


def test_notebook_paths_lists_notebooks_in_lesson_order(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "notes.txt"):
        (tmp_path / name).write_text("{}")
    assert [path.name for path in notebook_io.notebook_paths(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
    assert notebook_io.notebook_paths() == sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_headings_cell_sources_and_tags():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title\n\n#no heading\n## Setup"),
            nbformat.v4.new_code_cell("# @title not markdown", metadata={"tags": ["solution"]}),
            nbformat.v4.new_markdown_cell("text\n### Sub\n## Summary"),
        ]
    )
    assert notebook_io.headings(notebook, 1) == [(0, "Title")]
    assert notebook_io.headings(notebook, 2) == [(0, "Setup"), (2, "Summary")]
    assert notebook_io.headings(notebook, 3) == [(2, "Sub")]
    assert notebook_io.tagged_cells(notebook, "solution") == [notebook.cells[1]]
    assert notebook_io.cell_source({"source": ["a", "b\n"]}) == "ab\n"


def _stamped_copy(tmp_path):
    """A tiny notebook run by the runner, in a folder of its own."""
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01_tiny.ipynb"
    _notebook(path, "from course_utils import results\nresults.record('answer', 1, 'things')")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].metadata["tags"] = ["setup"]
    notebook.cells[1].source = (
        'if COLAB:\n    %pip install --quiet "course-utils @ git+https://github.com/old/name@main"\n'
        + notebook.cells[1].source
    )
    notebook.cells[1].source = notebook.cells[1].source.replace("if COLAB:", "if False:")
    nbformat.write(notebook, path)
    runner.execute(path, quick=False)
    return path


def test_stamp_problems_catch_changed_code_package_and_data(tmp_path):
    path = _stamped_copy(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    assert runner.stamp_problems(notebook, ROOT) == []

    changed_code = nbformat.read(path, as_version=4)
    changed_code.cells[1].source += "\nprint('new')"
    assert any("code changed" in p for p in runner.stamp_problems(changed_code, ROOT))

    changed_module = nbformat.read(path, as_version=4)
    changed_module.metadata["course"]["package_sha256"]["course_utils/results.py"] = "0" * 64
    assert any("results.py changed" in p for p in runner.stamp_problems(changed_module, ROOT))

    old_data = nbformat.read(path, as_version=4)
    old_data.metadata["course"]["data"] = [
        {"name": "MNIST", "source": "x", "n_train": 1, "n_test": 1, "sha256": {"mnist/mnist.npz": "1" * 64}}
    ]
    assert any("no longer its pin" in p for p in runner.stamp_problems(old_data, ROOT))

    quick = nbformat.read(path, as_version=4)
    quick.metadata["course"]["mode"] = "quick"
    assert any("quick" in p for p in runner.stamp_problems(quick, ROOT))


def test_a_new_repository_address_restamps_without_a_rerun(tmp_path):
    path = _stamped_copy(tmp_path)
    before = nbformat.read(path, as_version=4).metadata["course"]
    assert badges.update_notebook(path)  # the install line now names badges.REPOSITORY
    notebook = nbformat.read(path, as_version=4)
    assert badges.colab_install_command() in notebook.cells[1].source
    assert notebook.metadata["course"]["source_sha256"] != before["source_sha256"]
    assert runner.stamp_problems(notebook, ROOT) == []

    notebook.cells[1].source += "\nx = 2"  # a real code change is not re-stamped
    notebook.cells[1].source = notebook.cells[1].source.replace(badges.REPOSITORY, "other/repo")
    nbformat.write(notebook, path)
    badges.update_notebook(path)
    assert any("code changed" in p for p in runner.stamp_problems(nbformat.read(path, as_version=4), ROOT))


def test_a_failing_quick_run_keeps_the_full_run(tmp_path):
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01_full_only.ipynb"
    _notebook(
        path,
        "from course_utils import config, results\nassert not config.quick_mode()\n"
        "results.record('answer', 42, 'things')",
    )
    assert runner.main(["--root", str(tmp_path)]) == 1, "the failed quick run is reported"
    assert nbformat.read(path, as_version=4).metadata["course"]["mode"] == "full"
    entry = json.loads((tmp_path / "results" / "expected_results.json").read_text())["notebooks"][
        "01_full_only"
    ]
    assert entry["metrics"] == {"answer": {"value": 42, "unit": "things"}}
    assert "quick_wall_time_s" not in entry


def test_an_untimed_run_keeps_the_quick_time_of_the_same_code_only(tmp_path):
    def entry(code, quick=None):
        fields = {"mode": "full", "wall_time_s": 9.0, "source_sha256": "s", "code_sha256": code}
        fields |= {"executed_at": "t", "machine": {}, "metrics": {}}
        return fields | ({"quick_wall_time_s": quick} if quick is not None else {})

    runner.update_results(tmp_path, {"01_a": entry("same", 4.0), "02_b": entry("old", 5.0)})
    path = runner.update_results(tmp_path, {"01_a": entry("same"), "02_b": entry("new")})
    notebooks = json.loads(path.read_text())["notebooks"]
    assert notebooks["01_a"]["quick_wall_time_s"] == 4.0, "same code: its quick time still holds"
    assert "quick_wall_time_s" not in notebooks["02_b"], "changed code: the old quick time no longer applies"
    path = runner.update_results(tmp_path, {"01_a": entry("same", 6.0)})
    assert json.loads(path.read_text())["notebooks"]["01_a"]["quick_wall_time_s"] == 6.0
