"""Execute notebooks in place, stamp them and collect their recorded metrics into ``results/``.

    python -m course_utils.runner [--quick] [NOTEBOOK ...]

Full mode (the default) is what the repository stores: every committed notebook carries the outputs
of a full run of its current code. Each executed notebook gets ``metadata.course`` = {mode,
source_sha256, wall_time_s, executed_at, versions, cpu_count}. A full run also updates the notebook's
entry in ``results/expected_results.json`` (the other entries are kept) and re-renders
``results/README.md`` and the notebook table of the top-level README. A quick run writes only the
notebooks (stamped "quick", which the tests refuse), never ``results/``.
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
from importlib import metadata
from pathlib import Path

import nbformat

from course_utils import config, results, slides
from course_utils.readme import replace_block
from course_utils.setup import TF_LOG_LEVEL

VERSIONED_PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "nbclient")
TABLE_START = "<!-- notebook-table:start -->"
TABLE_END = "<!-- notebook-table:end -->"
CELL_TIMEOUT_S = 1800


def source_sha256(notebook) -> str:
    """sha256 of json.dumps([source of each code cell, in order]), UTF-8; list sources are joined."""
    sources = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"]
            sources.append("".join(source) if isinstance(source, list) else source)
    return hashlib.sha256(json.dumps(sources).encode("utf-8")).hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape a notebook's numbers."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def machine_info() -> dict:
    """The machine a run was made on."""
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()}


def execute(path: Path, quick: bool, timeout: int = CELL_TIMEOUT_S) -> dict:
    """Run one notebook top to bottom in its own folder; write it back stamped; return its results entry.

    Raises nbclient's CellExecutionError (after printing which notebook) when a cell fails; the file
    on disk is then left as it was.
    """
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        metrics_file = Path(scratch) / "metrics.jsonl"
        saved_environment = dict(os.environ)
        os.environ.update(
            {
                "COURSE_QUICK": "1" if quick else "0",
                "COURSE_CHECKS_RAISE": "1",
                "COURSE_RESULTS_FILE": str(metrics_file),
                "KERAS_BACKEND": "tensorflow",
                "TF_CPP_MIN_LOG_LEVEL": TF_LOG_LEVEL,  # forced: native TensorFlow logs would land in cell outputs
            }
        )
        os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend must draw the figures
        try:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                coalesce_streams=True,  # one stream per cell, progress-bar redraws (\r, \b) reduced to their last state
                resources={"metadata": {"path": str(path.parent)}},
            )
            started = time.perf_counter()
            client.execute()
            wall_time = time.perf_counter() - started
        finally:
            os.environ.clear()
            os.environ.update(saved_environment)
        metrics = results.read_recorded(metrics_file)

    stamp = {
        "mode": "quick" if quick else "full",
        "source_sha256": source_sha256(notebook),
        "wall_time_s": round(wall_time, 1),
        "executed_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "cpu_count": os.cpu_count(),
    }
    notebook.metadata["course"] = stamp
    slides.mark(notebook)  # which cells make slides depends on the figures the run drew
    nbformat.write(notebook, path)
    return {key: stamp[key] for key in ("mode", "wall_time_s", "source_sha256", "executed_at")} | {
        "metrics": metrics
    }


def update_results(results_dir: Path, entries: dict[str, dict]) -> Path:
    """Merge ``entries`` ({notebook stem: entry}) into expected_results.json and re-render results/README.md."""
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path = results_dir / "expected_results.json"
    data = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {"notebooks": {}}
    data["notebooks"].update(entries)
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    data["machine"] = machine_info()
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (results_dir / "README.md").write_text(render_results_markdown(data), encoding="utf-8")
    return json_path


def render_results_markdown(data: dict) -> str:
    """results/README.md: every recorded metric of every notebook, with its run time."""
    machine = data.get("machine", {})
    lines = [
        "# Results of the last full run of each notebook",
        "",
        "Written by `python -m course_utils.runner`; do not edit by hand. Machine: "
        f"{machine.get('cpu_count', '?')} CPU cores, {machine.get('platform', '?')}.",
        "",
        "| notebook | metric | value | unit |",
        "|---|---|---|---|",
    ]
    for stem, entry in data["notebooks"].items():
        lines.append(f"| {stem} | wall time ({entry['mode']} mode) | {entry['wall_time_s']:.0f} | s |")
        for name, metric in entry["metrics"].items():
            lines.append(f"| {stem} | `{name}` | {metric['value']:.6g} | {metric['unit']} |")
    return "\n".join(lines) + "\n"


def notebook_title_and_summary(path: Path) -> tuple[str, str]:
    """A notebook's H1 title and its one-line summary (metadata ``course_summary``)."""
    notebook = nbformat.read(path, as_version=4)
    title = next(
        (
            line[2:].strip()
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("# ")
        ),
        path.stem,
    )
    return title, notebook.metadata.get("course_summary", "")


def render_notebook_table(notebooks_dir: Path, data: dict) -> str:
    """The README's notebook table: number, title, what you learn, full-mode run time from results/."""
    lines = ["| # | notebook | what you learn | full run (2-core CPU) |", "|---|---|---|---|"]
    for path in config.notebook_paths(notebooks_dir):
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
    data = json.loads(results_json.read_text(encoding="utf-8")) if results_json.exists() else {}
    return replace_block(
        readme, TABLE_START, TABLE_END, render_notebook_table(notebooks_dir, data), "notebook table"
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
        "--root", type=Path, default=Path.cwd(), help="the repository's root (default: the current folder)"
    )
    args = parser.parse_args(argv)
    notebooks_dir = args.root / "notebooks"
    paths = args.notebooks or config.notebook_paths(notebooks_dir)
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
        print(f"updated {json_path} and the README's notebook table")
    elif args.quick:
        print("quick mode: results/ left as it was (it holds full runs only)")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
