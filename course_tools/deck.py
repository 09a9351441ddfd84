"""A slide deck that works offline: ``python -m course_tools.deck notebooks/07_vae_functional_api.ipynb``.

``jupyter nbconvert --to slides`` writes a page that loads reveal.js, jQuery, require.js and MathJax from
content delivery networks: opened in a classroom without internet it is one long page, not a slide show. This
command writes the same deck with every script from a local copy, next to the page:

    generated/slides/07_vae_functional_api.slides.html
    generated/slides/vendor/            reveal.js 4.0.2, require.js 2.1.10, jQuery 2.2.4, MathJax 2.7.7

The libraries are fetched once from the npm registry, as pinned tarballs checked against their published
sha512 digests, and cached in ``vendor/``; after that no network is needed. The course's diagrams
(``../images/*.svg``) are inlined into the page. Copy the whole ``generated/slides/`` folder to the classroom
computer and open the ``.html`` file in a browser: arrow keys move between slides, ``Esc`` shows an overview.
The badges, the Setup section, the worked solutions and the common-mistakes cells are left out (``course_tools.slides``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import re
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

import nbformat

from course_tools import notebook_io, slides

REGISTRY = "https://registry.npmjs.org"
# name, version, sha512 (base64, as npm publishes it), files kept (prefixes inside the tarball's package/)
LIBRARIES = {
    "reveal.js": (
        "4.0.2",
        "LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
        ("dist/", "plugin/notes/", "LICENSE"),
    ),
    "requirejs": (
        "2.1.10",
        "4JqdTihK3kOnT387LxCHuJZ/9QsKg2EIl7LmaW35PIyM4LwCI2jwyy4fy6pbY/ZZH2JoY/QEcb5PzULFPP6gcQ==",
        ("require.js", "LICENSE"),
    ),
    "jquery": (
        "2.2.4",
        "lBHj60ezci2u1v2FqnZIraShGgEXq35qCzMv4lITyHGppTnA13rwR0MgwyNJh9TnDs3aXUvd1xjAotfraMHX/Q==",
        ("dist/jquery.min.js", "LICENSE.txt"),
    ),
    "mathjax": (
        "2.7.7",
        "OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
        (
            "MathJax.js",
            "LICENSE",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions/",
            "jax/input/TeX/",
            "jax/output/CommonHTML/",
            "jax/element/",
            "fonts/HTML-CSS/TeX/woff/",
            "localization/en/",
        ),
    ),
}
DEFAULT_OUT = Path("generated") / "slides"
VENDOR = "vendor"
SETTINGS = {
    "reveal_url_prefix": f"{VENDOR}/reveal.js",
    "require_js_url": f"{VENDOR}/requirejs/require.js",
    "jquery_url": f"{VENDOR}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
# what a page loads (scripts, style sheets, images, frames), not the links a reader may follow
REMOTE_REFERENCE = re.compile(
    r"""<(?:script|img|iframe|link)\b[^>]*?\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']""",
    re.IGNORECASE,
)
# nbconvert's page imports mermaid from a CDN for ```mermaid blocks; the course has none
MERMAID_SCRIPT = re.compile(r"<script type=\"module\">\s*import mermaid from[^<]*</script>\s*")
REMOTE_IMPORT = re.compile(r"""(?:import\b[^;]*?from\s*|@import\s+url\()\s*["']?((?:https?:)?//[^"')]+)""")
IMAGE_SOURCE = re.compile(r"""(<img\b[^>]*?\bsrc=")(\.\./images/[^"]+)(")""")
MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _unpacked_name(member: str, kept: tuple[str, ...]) -> str | None:
    """The path of a tarball member below package/, when it is one of the files kept; else None."""
    if not member.startswith("package/"):
        return None
    inner = member[len("package/") :]
    if any(inner == keep or (keep.endswith("/") and inner.startswith(keep)) for keep in kept):
        if "/../" in f"/{inner}" or inner.startswith("/"):
            raise ValueError(f"unsafe path {member!r} in a vendor tarball")
        return inner
    return None


def _download(name: str, version: str) -> bytes:
    url = f"{REGISTRY}/{name}/-/{name.split('/')[-1]}-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read()
    except OSError as error:
        raise RuntimeError(
            f"could not download {name} {version} from {url} ({error}). The deck needs it once, then works "
            f"offline: run this command on a computer with internet and copy generated/slides/ across."
        ) from error


def _check_digest(name: str, version: str, data: bytes, expected: str) -> None:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != expected:
        raise RuntimeError(
            f"{name} {version}: the download's sha512 is {digest}, expected {expected} (the npm registry's "
            f"published digest). The file is corrupt or not the pinned release; delete it and run again."
        )


def fetch_vendor(vendor_dir: Path) -> Path:
    """Fetch the pinned libraries into ``vendor_dir`` once (checked against their sha512), return it."""
    for name, (version, expected, kept) in LIBRARIES.items():
        target = vendor_dir / name
        marker, stamp = target / ".version", f"{version} {expected} {' '.join(kept)}"
        if marker.is_file() and marker.read_text().strip() == stamp:
            continue
        data = _download(name, version)
        _check_digest(name, version, data, expected)
        if target.exists():
            shutil.rmtree(target)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                inner = _unpacked_name(member.name, kept)
                if inner is None or not member.isfile():
                    continue
                destination = target / inner
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.extractfile(member).read())
        _drop_web_fonts(target)
        marker.write_text(stamp + "\n")
    return vendor_dir


def _drop_web_fonts(library_dir: Path) -> None:
    """Remove the reveal.js themes' ``@import`` of Google Fonts: offline, the browser's fonts are used."""
    for sheet in library_dir.glob("dist/theme/*.css"):
        text = sheet.read_text(encoding="utf-8")
        kept = re.sub(r"@import url\((?:https?:)?//[^)]*\);\s*", "", text)
        if kept != text:
            sheet.write_text(kept, encoding="utf-8")


def _inline_images(html: str, notebook_dir: Path) -> str:
    """Replace each ``../images/...`` image source with a data URI, so the page needs no images folder."""

    def replace(match: re.Match) -> str:
        path = (notebook_dir / match.group(2)).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"the deck embeds {match.group(2)}, which is not at {path}")
        mime = MIME.get(path.suffix.lower(), "application/octet-stream")
        encoded = base64.b64encode(path.read_bytes()).decode()
        return f"{match.group(1)}data:{mime};base64,{encoded}{match.group(3)}"

    return IMAGE_SOURCE.sub(replace, html)


def remote_references(html: str) -> list[str]:
    """Every script, style sheet, image or frame the page would load from another host (none offline)."""
    return REMOTE_REFERENCE.findall(html) + REMOTE_IMPORT.findall(html)


def build(notebook_path: Path, out_dir: Path = DEFAULT_OUT, *, show_code: bool = False) -> Path:
    """Write ``<out_dir>/<stem>.slides.html`` with local scripts; return its path."""
    from nbconvert import SlidesExporter

    notebook_path = Path(notebook_path)
    if not notebook_path.is_file():
        raise FileNotFoundError(f"no notebook at {notebook_path}: give the path of a .ipynb in notebooks/")
    out_dir = Path(out_dir)
    fetch_vendor(out_dir / VENDOR)
    notebook = nbformat.read(notebook_path, as_version=4)
    slides.mark(notebook)  # the deck follows the current rules even if the stored metadata is older
    if any("```mermaid" in cell.source for cell in notebook.cells if cell.cell_type == "markdown"):
        raise ValueError(f"{notebook_path.name} has a mermaid diagram, which the offline deck cannot draw")
    title = notebook_io.headings(notebook, level=1)[0][1] if notebook_io.headings(notebook, 1) else ""
    exporter = SlidesExporter(exclude_input=not show_code, **SETTINGS)
    html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    html = MERMAID_SCRIPT.sub("", html)
    html = _inline_images(html, notebook_path.resolve().parent)
    remote = remote_references(html)
    if remote:
        raise RuntimeError(f"the deck for {notebook_path.name} still loads from the network: {remote[:3]}")
    target = out_dir / f"{notebook_path.stem}.slides.html"
    target.write_text(html, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument("--show-code", action="store_true", help="show the code cells too (default: outputs)")
    args = parser.parse_args(argv)
    if not args.notebooks and notebook_io.repo_root() is None:
        parser.error("no course checkout found here: give the notebooks' paths")
    for path in args.notebooks or notebook_io.notebook_paths():
        print(f"wrote {build(path, args.out, show_code=args.show_code)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
