"""The architecture diagrams in images/: regenerated from course_tools.diagrams, used, and described.

- Regenerating every diagram into a temporary folder gives exactly the committed files (change a size in
  course_tools/diagrams.py, run ``python -m course_tools.diagrams``, commit both).
- Every file in images/ is embedded by a notebook or the README, and every diagram the script draws is in
  images/.
- Every embedded image has alt text of a few words, and its file exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course_tools import diagrams, notebook_io

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "images"
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def embedded_images() -> list[tuple[str, str, str]]:
    """(where, alt text, target) of every markdown image in the notebooks' markdown and the README."""
    found = []
    for path in notebook_io.notebook_paths(ROOT / "notebooks"):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "markdown" or "badges" in notebook_io.cell_tags(cell):
                continue
            for alt, target in MARKDOWN_IMAGE.findall(cell.source):
                found.append((f"{path.name} cell {index}", alt, target))
            for tag in HTML_IMAGE.findall(cell.source):
                found.append((f"{path.name} cell {index}", "", f"<img> tag: {tag[:60]}"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for alt, target in MARKDOWN_IMAGE.findall(readme):
        if "badge" not in target:
            found.append(("README.md", alt, target))
    return found


def test_diagrams_regenerate_to_the_committed_files(tmp_path):
    written = diagrams.write_all(tmp_path)
    for path in written:
        committed = IMAGES / path.name
        assert committed.is_file(), f"{committed} is missing: run python -m course_tools.diagrams"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed.name} differs from what course_tools/diagrams.py draws: "
            "run python -m course_tools.diagrams and commit the result"
        )


def test_drawing_twice_gives_the_same_bytes(tmp_path):
    first = {p.name: p.read_bytes() for p in diagrams.write_all(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in diagrams.write_all(tmp_path / "b")}
    assert first == second


def test_a_changed_size_changes_the_diagram(monkeypatch):
    before = diagrams.vae()
    monkeypatch.setattr(diagrams, "VAE_LATENT", 16)
    after = diagrams.vae()
    assert before != after and "Dense 16" in after and "Dense 16" not in before


def test_every_image_is_used_and_every_diagram_is_committed():
    used = {Path(target).name for _, _, target in embedded_images() if "images/" in target}
    files = {p.name for p in IMAGES.iterdir() if p.is_file() and not p.name.startswith(".")}
    unused = files - used
    assert not unused, f"images/ holds files no notebook or README embeds: {sorted(unused)}"
    assert set(diagrams.DIAGRAMS) <= files, "run python -m course_tools.diagrams"


@pytest.mark.parametrize("where, alt, target", embedded_images(), ids=lambda x: str(x)[:40])
def test_embedded_images_have_alt_text_and_exist(where, alt, target):
    assert not target.startswith("<img>"), f"{where}: use markdown images with alt text, not {target}"
    assert len(alt.split()) >= 3, f"{where}: the image {target} needs alt text that says what it shows"
    base = ROOT if where == "README.md" else ROOT / "notebooks"
    resolved = (base / target).resolve()
    assert resolved.is_file(), f"{where}: {target} does not exist"


def test_the_checks_catch_missing_alt_text():
    assert MARKDOWN_IMAGE.findall("![](../images/vae.svg)") == [("", "../images/vae.svg")]
    assert HTML_IMAGE.findall('<img src="../images/vae.svg">')
