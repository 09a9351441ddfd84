from pathlib import Path

import nbformat
import pytest

from course_tools import notebook_io, slides

NOTEBOOKS = notebook_io.notebook_paths(Path(__file__).resolve().parents[1] / "notebooks")


def cell(kind, source, tags=(), figure=False):
    if kind == "markdown":
        made = nbformat.v4.new_markdown_cell(source)
    else:
        made = nbformat.v4.new_code_cell(source)
        if figure:
            made.outputs = [
                nbformat.v4.new_output(
                    "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "fig"}
                )
            ]
    if tags:
        made.metadata["tags"] = list(tags)
    return made


def test_slide_rules():
    notebook = nbformat.v4.new_notebook(
        cells=[
            cell("markdown", "# Title"),
            cell("markdown", "badges"),
            cell("markdown", "## Setup"),
            cell("code", "import sys", tags=["setup"]),
            cell("markdown", "The setup printed the versions."),
            cell("markdown", "## Train it"),
            cell("code", "model.fit(x)"),
            cell("code", "plot()", figure=True),
            cell("markdown", "### Exercise 1"),
            cell("code", "answer = 1", tags=["solution"]),
            cell("code", "expect_rejected(check, 0)", tags=["common-mistakes"]),
        ]
    )
    assert slides.mark(notebook) is True
    kinds = [c.metadata["slideshow"]["slide_type"] for c in notebook.cells]
    assert kinds == [
        "slide",
        "-",
        "skip",
        "skip",
        "skip",
        "slide",
        "fragment",
        "subslide",
        "subslide",
        "skip",
        "skip",
    ]
    assert slides.mark(notebook) is False  # idempotent


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_converts_to_a_slide_deck(path):
    from nbconvert import SlidesExporter

    notebook = nbformat.read(path, as_version=4)
    stored = [c.metadata.get("slideshow", {}).get("slide_type") for c in notebook.cells]
    expected = slides.slide_types(notebook)
    assert stored == expected, "slide metadata is stale: run python -m course_tools.slides"
    html, _ = SlidesExporter().from_notebook_node(notebook)
    sections = len({index for index, _ in notebook_io.headings(notebook, level=2)})
    assert html.count("<section") >= sections, "fewer slides than the title and the sections after Setup"
    assert "reveal" in html.lower()
