"""The repository's address, set here and nowhere else, and the links built from it.

``python -m course_tools.badges`` rewrites, in every notebook, the markdown cell tagged ``badges``
(Open in Colab, Launch Binder, both pointing at that notebook) and the Colab install line of the
cell tagged ``setup``, and the README's badges (between its ``badges`` markers, pointing at the first
notebook). A test fails when any link differs from what this module builds or points at a missing file.

The install line runs only on Colab, so it is left out of the stamp's ``code_sha256``: when it is the only
change, this command also updates the stamp's ``source_sha256`` (the hash of every code cell), and the
notebooks need no new run.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

from course_tools import notebook_io, readme

REPOSITORY = "autoencoders-course/autoencoders"  # GitHub owner/name
BRANCH = "main"
NOTEBOOKS_FOLDER = "notebooks"
README_NOTEBOOK = "00_start_here.ipynb"
README_MARKERS = ("<!-- badges:start -->", "<!-- badges:end -->")
INSTALL_LINE_PATTERN = re.compile(r"^(\s*)%pip install .*git\+https://github\.com/.*$", re.MULTILINE)


def colab_url(notebook_name: str) -> str:
    """Open this notebook in Colab, straight from GitHub."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{NOTEBOOKS_FOLDER}/{notebook_name}"


def binder_url(notebook_name: str) -> str:
    """Launch this notebook on Binder in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/{NOTEBOOKS_FOLDER}/{notebook_name}"


def badge_markdown(notebook_name: str) -> str:
    """The badge line of a notebook."""
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(notebook_name)}) "
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook_name)})"
    )


def colab_install_command() -> str:
    """What the Setup cell runs on Colab: the course package, from this repository, nothing else upgraded."""
    return f'%pip install --quiet "course-utils @ git+https://github.com/{REPOSITORY}@{BRANCH}"'


def without_install_line(source: str) -> str:
    """A code cell's text without its Colab install line (the one line that holds the repository's address)."""
    return INSTALL_LINE_PATTERN.sub(lambda match: match.group(1) + "%pip install <course package>", source)


def update_notebook(path: Path) -> bool:
    """Rewrite the badge cell and Colab install line of one notebook; True when anything changed.

    A stamp that was current apart from the install line gets the new ``source_sha256``.
    """
    from course_tools import runner

    notebook = nbformat.read(path, as_version=4)
    changed = False
    for cell in notebook_io.tagged_cells(notebook, "badges"):
        if cell.source != badge_markdown(path.name):
            cell.source, changed = badge_markdown(path.name), True
    for cell in notebook_io.tagged_cells(notebook, "setup"):
        updated = INSTALL_LINE_PATTERN.sub(
            lambda match: match.group(1) + colab_install_command(), cell.source
        )
        if updated != cell.source:
            cell.source, changed = updated, True
    stamp = notebook.metadata.get("course")
    if changed and isinstance(stamp, dict) and stamp.get("code_sha256") == runner.code_sha256(notebook):
        stamp["source_sha256"] = runner.source_sha256(notebook)
    if changed:
        nbformat.write(notebook, path)
    return changed


def update_readme(path: Path) -> bool:
    """Rewrite the README's badge line between its markers; True when it changed."""
    return readme.replace_block(path, *README_MARKERS, badge_markdown(README_NOTEBOOK), "badges")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to update (default: notebooks/*.ipynb)"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or notebook_io.notebook_paths(NOTEBOOKS_FOLDER)
    for path in paths:
        print(f"{path}: {'updated' if update_notebook(path) else 'already current'}")
    readme_path = Path("README.md")
    if not args.notebooks and readme_path.is_file():
        print(f"{readme_path}: {'updated' if update_readme(readme_path) else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
