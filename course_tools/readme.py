"""Generated blocks in the README: text between two HTML-comment markers, rewritten by a command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def replace_block(path: Path, start: str, end: str, content: str, what: str) -> bool:
    """Replace the text between the ``start`` and ``end`` markers of ``path`` by ``content``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise ValueError(f"{path}: expected the markers {start} and {end} around the {what}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    updated = f"{head}{start}\n{content}\n{end}{tail}"
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text


def replace_block_from_results(
    path: Path,
    start: str,
    end: str,
    render: Callable[[Path, dict], str],
    notebooks_dir: Path,
    results_json: Path,
    what: str,
) -> bool:
    """Replace a block by ``render(notebooks_dir, results)``, the results read from ``results_json`` ({} when absent)."""
    data = json.loads(results_json.read_text(encoding="utf-8")) if results_json.exists() else {}
    return replace_block(path, start, end, render(notebooks_dir, data), what)
