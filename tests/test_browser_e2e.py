"""End to end in a real browser: JupyterLab on 127.0.0.1, notebook 10 in headless Chromium.

Runs every cell of 10_latent_space in quick mode, checks that no cell shows an error, moves a latent slider of
the explorer and checks that the decoded image changes, and saves screenshots to generated/e2e/. Needs
Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright`` Python package, driven at
/usr/bin/chromium since Playwright's own browser download is not available everywhere. Without them the test
is skipped with the reason, never silently; with ``COURSE_REQUIRE_BROWSER_TEST=1`` (set by ``.ci/run``) that
skip is a failure, so CI cannot go green without this test. ``COURSE_CHROMIUM`` names another browser binary.

The run-all has a hard limit: a watchdog thread stops JupyterLab (and with it the kernel) and the browser
after ``RUN_TIMEOUT_S``, so a hanging kernel or page fails the test instead of stalling CI.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from course_utils import config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "notebooks/10_latent_space.ipynb"
RUN_TIMEOUT_S = 420


def chromium_path() -> str | None:
    if os.environ.get("COURSE_CHROMIUM"):
        named = os.environ["COURSE_CHROMIUM"]
        return named if Path(named).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def skip_or_fail(reason: str) -> None:
    """Skip, unless COURSE_REQUIRE_BROWSER_TEST says the browser test must run (CI)."""
    if config.env_flag("COURSE_REQUIRE_BROWSER_TEST"):
        pytest.fail(f"the browser test is required (COURSE_REQUIRE_BROWSER_TEST=1) but cannot run: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def browser_tools():
    try:
        import playwright.sync_api as playwright_api
    except ImportError:
        skip_or_fail("the playwright package is not installed: pip install -r requirements.txt")
    executable = chromium_path()
    if executable is None:
        skip_or_fail(
            "no Chromium at /usr/bin/chromium or $COURSE_CHROMIUM (Debian: apt-get install chromium); "
            ".ci/run installs it"
        )
    return playwright_api, executable


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    token, port = secrets.token_hex(16), free_port()
    workspace = tmp_path_factory.mktemp(
        "lab"
    )  # a copy, so that JupyterLab's autosave cannot touch the stored run
    (workspace / "notebooks").mkdir()
    shutil.copy(ROOT / NOTEBOOK, workspace / NOTEBOOK)
    log = (workspace / "jupyterlab.log").open("w")
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}  # the kernel draws inline
    env.update(config.kernel_environment(quick=True, strict_checks=True))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # CI containers run as root
            "--expose-app-in-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={workspace}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited early, see {log.name}")
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail(f"JupyterLab did not answer within 90 s, see {log.name}")
    yield base, token, server
    server.terminate()
    server.wait(timeout=30)
    log.close()


NOTEBOOK_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext || !panel.sessionContext.session) return null;
  const cells = panel.content.widgets.map(c => c.model.toJSON());
  const code = cells.filter(c => c.cell_type === 'code');
  return {
    kernel: panel.sessionContext.session.kernel ? panel.sessionContext.session.kernel.status : 'none',
    codeCells: code.length,
    executed: code.filter(c => c.execution_count !== null).length,
    errors: code.flatMap(c => (c.outputs || []).filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)),
  };
}"""


def test_notebook_10_runs_in_jupyterlab_and_its_slider_redraws(browser_tools, jupyterlab):
    playwright_api, executable = browser_tools
    base, token, server = jupyterlab
    shots = (
        ROOT / "generated" / "e2e"
    )  # screenshots, kept for a look after the run (generated/ is not committed)
    shots.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        timed_out = threading.Event()

        def stop_everything():  # the hard limit: also ends a page.evaluate that waits on a hung page
            timed_out.set()
            server.kill()
            browser.close()

        watchdog = threading.Timer(RUN_TIMEOUT_S + 180, stop_everything)
        watchdog.daemon = True
        watchdog.start()
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
            "window.jupyterapp.shell.currentWidget.sessionContext && "
            "window.jupyterapp.shell.currentWidget.sessionContext.isReady",
            timeout=120_000,
        )
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        deadline, state = time.time() + RUN_TIMEOUT_S, None
        while time.time() < deadline:
            state = page.evaluate(NOTEBOOK_STATE)
            if state and state["errors"]:
                break
            if state and state["kernel"] == "idle" and state["executed"] == state["codeCells"]:
                break
            time.sleep(2)
        page.screenshot(path=str(shots / "10_after_run_all.png"), full_page=False)
        assert state is not None, "the notebook never opened"
        assert not state["errors"], f"cells failed in JupyterLab: {state['errors']}"
        assert state["executed"] == state["codeCells"], (
            f"only {state['executed']} of {state['codeCells']} cells ran"
        )

        image = page.locator(".widget-image").first
        image.scroll_into_view_if_needed()
        before = image.get_attribute("src")
        handle = page.locator(".widget-hslider .noUi-handle, .widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(10):
            handle.press("ArrowRight")
        page.wait_for_function(
            "(before) => document.querySelector('.widget-image').getAttribute('src') !== before",
            arg=before,
            timeout=30_000,
        )
        page.screenshot(path=str(shots / "10_slider_moved.png"), full_page=False)
        assert image.get_attribute("src") != before
        watchdog.cancel()
        assert not timed_out.is_set(), f"the browser test ran past its limit of {RUN_TIMEOUT_S + 180} s"
        browser.close()
