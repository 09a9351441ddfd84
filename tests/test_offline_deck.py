"""The offline slide deck (course_tools.deck): built, then opened in headless Chromium with the network cut.

A deck that loads its scripts from a CDN is one long page when the classroom has no internet. This test builds
notebook 07's deck (it has equations and a diagram), opens the file with every request that is not a local
file aborted, and checks: nothing asked for the network, the page is one slide high (not a long page), the
right-arrow key moves to the next slide, and MathJax typeset the equations. Screenshots go to
generated/e2e/. The vendor libraries are fetched once from the npm registry into a cache
(generated/slides/vendor/); like the JupyterLab test, a missing Chromium is a skip, and a failure when
``COURSE_REQUIRE_BROWSER_TEST=1`` (CI).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course_tools import deck
from tests.test_browser_e2e import browser_tools  # noqa: F401  (the fixture: Playwright and Chromium)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_vae_functional_api.ipynb"
VENDOR_CACHE = ROOT / "generated" / "slides" / deck.VENDOR


def test_remote_references_are_found():
    page = (
        '<script src="https://cdn.example/reveal.js"></script><link href="//fonts.example/a.css" rel=x>'
        '<a href="https://colab.research.google.com/">a link is fine</a><img src="data:image/png;base64,AA">'
        "<script type=module>import mermaid from 'https://cdn.example/m.mjs';</script>"
    )
    assert deck.remote_references(page) == [
        "https://cdn.example/reveal.js",
        "//fonts.example/a.css",
        "https://cdn.example/m.mjs",
    ]
    assert deck.remote_references('<script src="vendor/require.js"></script>') == []


def test_a_corrupt_download_fails_its_checksum():
    with pytest.raises(RuntimeError, match="sha512"):
        deck._check_digest("reveal.js", "4.0.2", b"not the tarball", deck.LIBRARIES["reveal.js"][1])


def test_unsafe_tarball_paths_are_refused():
    assert deck._unpacked_name("package/dist/reveal.js", ("dist/",)) == "dist/reveal.js"
    assert deck._unpacked_name("package/test/x.js", ("dist/",)) is None
    with pytest.raises(ValueError, match="unsafe"):
        deck._unpacked_name("package/dist/../../etc/passwd", ("dist/",))


def test_a_missing_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no notebook at"):
        deck.build(tmp_path / "nope.ipynb", tmp_path)


@pytest.fixture(scope="module")
def built_deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck")
    if (VENDOR_CACHE / "mathjax" / ".version").is_file():
        shutil.copytree(VENDOR_CACHE, out / deck.VENDOR)  # a cached copy; build() checks its versions
    page = deck.build(NOTEBOOK, out)
    if not (VENDOR_CACHE / "mathjax" / ".version").is_file():
        shutil.copytree(out / deck.VENDOR, VENDOR_CACHE, dirs_exist_ok=True)
    return page


def test_the_deck_loads_nothing_from_the_network(built_deck):
    html = built_deck.read_text(encoding="utf-8")
    assert deck.remote_references(html) == []
    assert "../images/" not in html, "a diagram was not inlined"
    assert "## Setup" not in html and ">Setup<" not in html, "the Setup section is in the deck"


def test_the_offline_deck_is_a_slide_show_in_chromium(built_deck, browser_tools):  # noqa: F811
    playwright_api, executable = browser_tools
    shots = ROOT / "generated" / "e2e"
    shots.mkdir(parents=True, exist_ok=True)
    network, errors = [], []

    def only_local_files(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            network.append(route.request.url)
            route.abort()

    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", only_local_files)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
            page.goto(built_deck.resolve().as_uri())
            page.wait_for_selector(".reveal.ready", timeout=60_000)
            page.wait_for_function(
                "window.MathJax && MathJax.Hub && !MathJax.Hub.queue.pending "
                "&& MathJax.Hub.queue.running === 0",
                timeout=120_000,
            )
            page.screenshot(path=str(shots / "deck_first_slide.png"))
            assert page.evaluate("location.hash") in ("", "#/")
            slide_count = page.evaluate("document.querySelectorAll('.slides > section').length")
            assert slide_count >= 5, f"only {slide_count} slides"
            height, viewport = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
            assert height <= viewport, f"one long page ({height} px), not slides ({viewport} px)"
            assert page.evaluate("document.querySelectorAll('.slides > section.present').length") == 1
            page.keyboard.press("ArrowRight")
            page.wait_for_function("location.hash === '#/1'", timeout=10_000)
            page.screenshot(path=str(shots / "deck_second_slide.png"))
            typeset = page.evaluate("document.querySelectorAll('.MathJax_CHTML').length")
            assert typeset > 0, "MathJax typeset no equation"
            previews = page.evaluate(
                "Array.from(document.querySelectorAll('.MathJax_Preview'))"
                ".filter(e => e.textContent.trim()).length"
            )
            assert previews == 0, f"{previews} equations still show MathJax's preview beside the typeset one"
        finally:
            browser.close()
    assert network == [], f"the deck asked the network for {network}"
    assert errors == [], errors
