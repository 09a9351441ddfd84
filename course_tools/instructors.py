"""The timing table of INSTRUCTORS.md, from results/: ``python -m course_tools.instructors``.

The runner rewrites it after every full run (with the quick-mode time it measures right after), so the
minutes an instructor plans with are those of the stored runs, never typed in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from course_tools import notebook_io
from course_tools.readme import replace_block_from_results

TABLE_START = "<!-- instructors-timing:start -->"
TABLE_END = "<!-- instructors-timing:end -->"


def _minutes(seconds: float | None) -> str:
    return "not timed" if seconds is None else f"{seconds / 60:.1f} min"


def render_timing_table(notebooks_dir: Path, data: dict) -> str:
    """One row per notebook: its full run and its quick run on the 2-core machine, from results/."""
    lines = [
        "| notebook | full run | quick run | run on |",
        "|---|---|---|---|",
    ]
    for path in notebook_io.notebook_paths(notebooks_dir):
        entry = data.get("notebooks", {}).get(path.stem, {})
        full = entry.get("wall_time_s") if entry.get("mode") == "full" else None
        machine = entry.get("machine", {})
        cores = f"{machine['cpu_count']} CPU cores" if "cpu_count" in machine else "?"
        lines.append(
            f"| [{path.stem}](notebooks/{path.name}) | {_minutes(full)} | "
            f"{_minutes(entry.get('quick_wall_time_s'))} | {cores} |"
        )
    return "\n".join(lines)


def update(guide: Path, notebooks_dir: Path, results_json: Path) -> bool:
    """Rewrite the guide's timing table from ``results_json``; True when it changed."""
    return replace_block_from_results(
        guide, TABLE_START, TABLE_END, render_timing_table, notebooks_dir, results_json, "timing table"
    )


def main() -> int:
    root = notebook_io.repo_root() or Path.cwd()
    changed = update(root / "INSTRUCTORS.md", root / "notebooks", root / "results" / "expected_results.json")
    print("INSTRUCTORS.md: timing table " + ("rewritten" if changed else "already current"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
