"""Slide metadata for instructors: ``python -m course_tools.slides`` marks every notebook's cells so that
``jupyter nbconvert --to slides`` (or the JupyterLab RISE extension) presents it as a reveal.js deck.

The rules, from each cell's content:

- the title (first cell) and every ``## `` section starts a slide; every ``### `` heading a sub-slide;
- a code cell that draws a figure gets its own sub-slide, other code cells appear as fragments;
- the badges, the Setup section (its heading and cells), the worked solutions and the common-mistakes cells are skipped;
- everything else continues the current slide.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from course_tools import notebook_io


def _has_figure(cell) -> bool:
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


SKIPPED_TAGS = {"setup", "solution", "common-mistakes"}


def slide_types(notebook) -> list[str]:
    """The reveal.js role of every cell, with the whole Setup section skipped."""
    kinds, in_setup = [], False
    for index, cell in enumerate(notebook.cells):
        if cell["cell_type"] == "markdown":
            lines = notebook_io.cell_source(cell).lstrip().splitlines()
            if lines and notebook_io.heading_level(lines[0]) in (1, 2):
                in_setup = lines[0].strip().lower() == "## setup"
        kinds.append("skip" if in_setup else slide_type(cell, index))
    return kinds


def slide_type(cell, index: int) -> str:
    """The reveal.js role of one cell out of context: 'slide', 'subslide', 'fragment', 'skip' or '-'."""
    tags = notebook_io.cell_tags(cell)
    if cell["cell_type"] == "markdown":
        if "badges" in tags:
            return "skip"  # the Colab and Binder badges are images from the web
        lines = notebook_io.cell_source(cell).lstrip().splitlines()
        level = notebook_io.heading_level(lines[0]) if lines else 0
        if index == 0 or level == 2:
            return "slide"
        return "subslide" if level == 3 else "-"
    if cell["cell_type"] == "code":
        if tags & SKIPPED_TAGS:
            return "skip"
        return "subslide" if _has_figure(cell) else "fragment"
    return "skip"


def mark(notebook) -> bool:
    """Set every cell's ``metadata.slideshow.slide_type``; return whether anything changed."""
    changed = False
    for cell, wanted in zip(notebook.cells, slide_types(notebook), strict=True):
        if cell.metadata.get("slideshow", {}).get("slide_type") != wanted:
            cell.metadata["slideshow"] = {"slide_type": wanted}
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    args = parser.parse_args(argv)
    if not args.notebooks and notebook_io.repo_root() is None:
        parser.error("no course checkout found here: give the notebooks' paths")
    paths = args.notebooks or notebook_io.notebook_paths()
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if mark(notebook):
            nbformat.write(notebook, path)
            print(f"marked slides in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
