"""Execute notebooks in place, stamp them and collect their recorded metrics into ``results/``.

    python -m course_tools.runner [--quick] [NOTEBOOK ...]

Full mode (the default) is what the repository stores: every committed notebook carries the outputs
of a full run of its current code. Each executed notebook gets the stamp ``metadata.course``:

- ``mode``: "full" or "quick";
- ``source_sha256``: SHA-256 of the code cells (``shared/tools/check_notebook_stamps.py`` computes the same);
- ``code_sha256``: the same without the Colab install line, so a new repository address (``badges``)
  re-stamps a notebook without re-running it;
- ``package_sha256``: {module file: SHA-256} of every ``course_utils`` module the kernel imported;
- ``data``: every dataset the notebook loaded (source line, sizes, the files' pinned SHA-256);
- ``versions``: the kernel's own package versions; ``machine``; ``wall_time_s``; ``executed_at``.

Modules, data and versions are read from inside the kernel by a last, temporary cell
(``course_tools.provenance``) that is removed before the notebook is written. A full run also updates the
notebook's entry in ``results/expected_results.json`` (the other entries, each with its own machine, are
kept) and re-renders ``results/README.md`` and the notebook table of the top-level README. A quick run
writes only the notebooks (stamped "quick", which the tests refuse), never ``results/``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_tools import badges, instructors, notebook_io, provenance, slides
from course_tools.readme import replace_block_from_results
from course_utils import config, results

TABLE_START = "<!-- notebook-table:start -->"
TABLE_END = "<!-- notebook-table:end -->"
CELL_TIMEOUT_S = 1800


def _hash_sources(sources: list[str]) -> str:
    return hashlib.sha256(json.dumps(sources).encode("utf-8")).hexdigest()


def source_sha256(notebook) -> str:
    """sha256 of json.dumps([source of each code cell, in order]), UTF-8 (the shared stamp checker's rule)."""
    return _hash_sources(
        [notebook_io.cell_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    )


def code_sha256(notebook) -> str:
    """Like ``source_sha256``, with the Colab install line (it holds the repository's address) taken out."""
    return _hash_sources(
        [
            badges.without_install_line(notebook_io.cell_source(cell))
            for cell in notebook["cells"]
            if cell["cell_type"] == "code"
        ]
    )


def machine_info() -> dict:
    """The machine a run was made on."""
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()}


def stamp_problems(notebook, root: Path) -> list[str]:
    """Why ``notebook``'s stored outputs are not a full run of its current code, package and data ([] if they are)."""
    from course_utils import data  # the pins the stamp's data must still have

    stamp = notebook.get("metadata", {}).get("course")
    if not isinstance(stamp, dict):
        return ["never executed by the runner (no metadata.course stamp)"]
    problems = []
    if stamp.get("mode") != "full":
        problems.append(f"stamped {stamp.get('mode')!r}, not 'full': re-run it in full mode")
    if stamp.get("code_sha256") != code_sha256(notebook):
        problems.append("its code changed since the outputs were made")
    elif stamp.get("source_sha256") != source_sha256(notebook):
        problems.append("its Colab install line changed: run python -m course_tools.badges to re-stamp it")
    modules = stamp.get("package_sha256")
    if not isinstance(modules, dict) or not modules:
        problems.append("the stamp does not say which course_utils modules the kernel imported")
    else:
        for module, digest in modules.items():
            path = root / module
            if not path.is_file():
                problems.append(f"{module}, which the run imported, no longer exists")
            elif data.sha256_of(path) != digest:
                problems.append(f"{module} changed since the run")
    pins = {name: set(data.accepted_sha256(name)) for name in data.PUBLISHER_SHA256}
    pins[data.OLIVETTI_FILE] = {data.OLIVETTI_SHA256}
    for dataset in stamp.get("data", []):
        for name, digest in dataset.get("sha256", {}).items():
            if digest not in pins.get(name, set()):
                problems.append(
                    f"the run read {name} with SHA-256 {digest[:12]}..., which is no longer its pin"
                )
    for key in ("versions", "machine", "wall_time_s", "executed_at", "data"):
        if key not in stamp:
            problems.append(f"the stamp has no {key!r}")
    return problems


def execute(path: Path, quick: bool, timeout: int = CELL_TIMEOUT_S, write: bool = True) -> dict:
    """Run one notebook top to bottom in its own folder; write it back stamped; return its results entry.

    Raises nbclient's CellExecutionError (after printing which notebook) when a cell fails; the file
    on disk is then left as it was. ``write=False`` only measures: the file is not touched.
    """
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        metrics_file = Path(scratch) / "metrics.jsonl"
        saved_environment = dict(os.environ)
        os.environ.update(config.kernel_environment(quick=quick, strict_checks=True))
        os.environ["COURSE_RESULTS_FILE"] = str(metrics_file)
        os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend must draw the figures
        try:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                coalesce_streams=True,  # one stream per cell, progress-bar redraws (\r, \b) reduced to their last state
                resources={"metadata": {"path": str(path.parent)}},
            )
            notebook.cells.append(nbformat.v4.new_code_cell(provenance.REPORT_CODE))
            started = time.perf_counter()
            client.execute()
            wall_time = time.perf_counter() - started
        finally:
            os.environ.clear()
            os.environ.update(saved_environment)
        report_cell = notebook.cells.pop()
        found = provenance.parse(
            "".join(
                output.get("text", "") for output in report_cell.outputs if output.output_type == "stream"
            )
        )
        metrics = results.read_recorded(metrics_file)

    stamp = {
        "mode": "quick" if quick else "full",
        "source_sha256": source_sha256(notebook),
        "code_sha256": code_sha256(notebook),
        "package_sha256": found["package_sha256"],
        "data": found["data"],
        "wall_time_s": round(wall_time, 1),
        "executed_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": found["versions"],
        "machine": machine_info(),
    }
    if not write:
        return results_entry(stamp, metrics)
    notebook.metadata["course"] = stamp
    slides.mark(notebook)  # which cells make slides depends on the figures the run drew
    nbformat.write(notebook, path)
    return results_entry(stamp, metrics)


def quick_wall_time(path: Path) -> float:
    """Seconds a quick-mode run of ``path`` takes here (the notebook file is not touched)."""
    return execute(path, quick=True, write=False)["wall_time_s"]


def results_entry(stamp: dict, metrics: dict) -> dict:
    """A notebook's entry in results/expected_results.json: its stamp's key facts and its recorded metrics."""
    keys = ("mode", "wall_time_s", "source_sha256", "code_sha256", "executed_at", "machine")
    return {key: stamp[key] for key in keys} | {"metrics": metrics}


def update_results(results_dir: Path, entries: dict[str, dict]) -> Path:
    """Merge ``entries`` ({notebook stem: entry}) into expected_results.json and re-render results/README.md."""
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path = results_dir / "expected_results.json"
    data = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {"notebooks": {}}
    for stem, entry in entries.items():
        previous = data["notebooks"].get(stem, {})
        if (
            "quick_wall_time_s" not in entry
            and "quick_wall_time_s" in previous
            and previous.get("code_sha256") == entry["code_sha256"]
        ):  # not timed this time (--no-quick-timing): the same code's earlier quick time still holds
            entry = entry | {"quick_wall_time_s": previous["quick_wall_time_s"]}
        data["notebooks"][stem] = entry
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    data.pop("machine", None)  # each entry keeps the machine it was run on
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (results_dir / "README.md").write_text(render_results_markdown(data), encoding="utf-8")
    return json_path


def render_results_markdown(data: dict) -> str:
    """results/README.md: every recorded metric of every notebook, with its run time."""
    lines = [
        "# Results of the last full run of each notebook",
        "",
        "Written by `python -m course_tools.runner` from `expected_results.json`; do not edit by hand.",
        "",
        "| notebook | run | wall time | quick mode | machine |",
        "|---|---|---|---|---|",
    ]
    for stem, entry in data["notebooks"].items():
        machine = entry.get("machine", {})
        quick = entry.get("quick_wall_time_s")
        lines.append(
            f"| {stem} | {entry['mode']} mode, {entry['executed_at']} | {entry['wall_time_s']:.0f} s | "
            f"{f'{quick:.0f} s' if quick is not None else 'not timed'} | "
            f"{machine.get('cpu_count', '?')} CPU cores, {machine.get('platform', '?')} |"
        )
    lines += ["", "| notebook | metric | value | unit |", "|---|---|---|---|"]
    for stem, entry in data["notebooks"].items():
        for name, metric in entry["metrics"].items():
            lines.append(f"| {stem} | `{name}` | {metric['value']:.6g} | {metric['unit']} |")
    return "\n".join(lines) + "\n"


def notebook_title_and_summary(path: Path) -> tuple[str, str]:
    """A notebook's H1 title and its one-line summary (metadata ``course_summary``)."""
    notebook = nbformat.read(path, as_version=4)
    titles = notebook_io.headings(notebook, level=1)
    title = titles[0][1] if titles else path.stem
    return title, notebook.metadata.get("course_summary", "")


def render_notebook_table(notebooks_dir: Path, data: dict) -> str:
    """The README's notebook table: number, title, what you learn, full-mode run time from results/."""
    lines = ["| # | notebook | what you learn | full run (2-core CPU) |", "|---|---|---|---|"]
    for path in notebook_io.notebook_paths(notebooks_dir):
        title, summary = notebook_title_and_summary(path)
        entry = data.get("notebooks", {}).get(path.stem)
        run_time = (
            f"{entry['wall_time_s'] / 60:.1f} min" if entry and entry["mode"] == "full" else "not run yet"
        )
        number = path.stem.split("_", 1)[0]
        lines.append(f"| {number} | [{title}]({notebooks_dir.name}/{path.name}) | {summary} | {run_time} |")
    return "\n".join(lines)


def update_readme_table(readme: Path, notebooks_dir: Path, results_json: Path) -> bool:
    """Replace the table between the README's markers; True when it changed."""
    return replace_block_from_results(
        readme, TABLE_START, TABLE_END, render_notebook_table, notebooks_dir, results_json, "notebook table"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Execute course notebooks in place and stamp them.")
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to run (default: every notebook in notebooks/)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="quick mode: few epochs and samples; results/ is not updated"
    )
    parser.add_argument(
        "--no-quick-timing",
        action="store_true",
        help="after a full run, skip the quick-mode run that times it for the instructors' guide",
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the repository's root (default: the current folder)"
    )
    args = parser.parse_args(argv)
    notebooks_dir = args.root / "notebooks"
    paths = args.notebooks or notebook_io.notebook_paths(notebooks_dir)
    if not paths:
        print(f"no notebooks found under {notebooks_dir}", file=sys.stderr)
        return 2
    entries, failed = {}, []
    for path in paths:
        print(f"running {path} in {'quick' if args.quick else 'full'} mode ...", flush=True)
        try:
            entries[path.stem] = execute(path, quick=args.quick)
        except Exception as error:  # report and go on with the next notebook
            failed.append(path)
            print(f"FAILED {path}: {type(error).__name__}: {str(error)[-3000:]}", file=sys.stderr, flush=True)
            continue
        if not args.quick and not args.no_quick_timing:
            try:  # apart from the full run: a failing quick run must not throw the full run's results away
                entries[path.stem]["quick_wall_time_s"] = quick_wall_time(path)
            except Exception as error:
                failed.append(path)
                print(
                    f"FAILED the quick-mode run of {path} (its full run is kept): "
                    f"{type(error).__name__}: {str(error)[-3000:]}",
                    file=sys.stderr,
                    flush=True,
                )
        metrics = ", ".join(
            f"{name}={metric['value']:.4g}" for name, metric in entries[path.stem]["metrics"].items()
        )
        print(
            f"  done in {entries[path.stem]['wall_time_s']:.0f} s; {metrics or 'no metrics recorded'}",
            flush=True,
        )
    if entries and not args.quick:
        json_path = update_results(args.root / "results", entries)
        readme = args.root / "README.md"
        if readme.exists():
            update_readme_table(readme, notebooks_dir, json_path)
        guide = args.root / "INSTRUCTORS.md"
        if guide.exists():
            instructors.update(guide, notebooks_dir, json_path)
        print(f"updated {json_path} and the README's notebook table")
    elif args.quick:
        print("quick mode: results/ left as it was (it holds full runs only)")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
