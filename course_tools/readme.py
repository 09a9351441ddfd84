"""Generated blocks in the README: text between two HTML-comment markers, rewritten by a command."""

from __future__ import annotations

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
