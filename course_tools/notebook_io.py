"""Reading the course's notebooks: where they are, a cell's text, tagged cells and headings.

One function each, used by the runner, badges, slides and the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT_MARKERS = ("pyproject.toml", "notebooks")


def repo_root() -> Path | None:
    """The course repository's root when these tools run from a checkout, else None."""
    here = Path(__file__).resolve().parent.parent
    if (here / ROOT_MARKERS[0]).is_file() and (here / ROOT_MARKERS[1]).is_dir():
        return here
    return None


def notebook_paths(folder=None) -> list[Path]:
    """The notebooks in ``folder`` (default: the checkout's ``notebooks/``), in lesson order."""
    if folder is None:
        root = repo_root()
        if root is None:
            raise FileNotFoundError("no course checkout found: give the notebooks' folder")
        folder = root / "notebooks"
    return sorted(Path(folder).glob("*.ipynb"))


def cell_source(cell) -> str:
    """A cell's text: nbformat keeps it as one string, raw JSON sometimes as a list of lines."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def python_code(source: str) -> str:
    """A code cell's text as Python: ``%time`` / ``%timeit`` keep the statement they time; other IPython magics and
    shell lines (``%...``, ``%%...``, ``!...``) become ``pass``."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        timed = re.match(r"%(?:time|timeit)\s+(?:-\S+\s+)*(.*)", stripped)
        if timed and not stripped.startswith("%%"):
            lines.append(indent + timed.group(1))
        elif stripped.startswith(("%", "!")):
            lines.append(indent + "pass")
        else:
            lines.append(line)
    return "\n".join(lines)


def cell_tags(cell) -> set[str]:
    """The tags in a cell's metadata."""
    return set(cell.get("metadata", {}).get("tags", []))


def tagged_cells(notebook, tag: str) -> list:
    """The cells of ``notebook`` that carry ``tag``, in order."""
    return [cell for cell in notebook["cells"] if tag in cell_tags(cell)]


def heading_level(line: str) -> int:
    """1 for '# Title', 2 for '## Section', ...; 0 when the line is not a markdown heading."""
    stripped = line.strip()
    hashes = len(stripped) - len(stripped.lstrip("#"))
    return hashes if 0 < hashes <= 6 and stripped[hashes : hashes + 1] == " " else 0


def headings(notebook, level: int) -> list[tuple[int, str]]:
    """(cell index, heading text) of every markdown heading of ``level`` (1 = title, 2 = section)."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for line in cell_source(cell).splitlines():
            if heading_level(line) == level:
                found.append((index, line.strip()[level + 1 :].strip()))
    return found
