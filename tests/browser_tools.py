"""Playwright driving the system's Chromium: what every browser test shares.

No browser is downloaded: Playwright is pointed at Debian's ``chromium`` (or the one named
by ``DLCOURSE_CHROMIUM``). A machine without one skips the browser tests with one line
saying how to get them; under CI (``CI=true``) that skip is a failure, because `.ci/run`
installs Chromium.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

HOW_TO_GET_IT = ("no Chromium found: install Debian's `chromium` package (apt-get install chromium) "
                 "or set DLCOURSE_CHROMIUM to a Chromium executable to run the browser tests")
# Flags for a machine with no network and no display: no sign-in, sync, component updates or
# background fetches (each would try to reach Google and fail), no GPU, no first-run dialogs.
# --no-sandbox because CI runs as root, where Chromium's own sandbox refuses to start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def chromium_executable() -> Path | None:
    """The Chromium the tests drive, or None when this machine has none."""
    named = os.environ.get("DLCOURSE_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def require_chromium() -> Path:
    """The Chromium executable; otherwise skip (or fail under CI) with how to get one."""
    executable = chromium_executable()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{HOW_TO_GET_IT} (CI must run the browser tests: .ci/run installs it)")
        pytest.skip(HOW_TO_GET_IT)
    return executable


def launch(playwright):
    """A headless Chromium browser (playwright.sync_api) on the system executable."""
    return playwright.chromium.launch(executable_path=str(require_chromium()), headless=True, args=CHROMIUM_ARGS)


def screenshot(page, folder: Path, name: str) -> Path:
    """Save what the page shows now as folder/name.png and return the path (for failure messages)."""
    path = Path(folder) / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # noqa: BLE001 - a failing screenshot must not hide the real failure
        return Path(f"{path} (screenshot failed: {error})")
    return path


@contextlib.contextmanager
def screenshot_on_failure(page, folder: Path, name: str = "failure"):
    """Turn an assertion error or a Playwright timeout inside the block into an AssertionError
    that names a screenshot of the page as it was then (saved as folder/name.png)."""
    try:
        yield
    except (AssertionError, PlaywrightError) as error:
        path = screenshot(page, folder, name)
        raise AssertionError(f"{error}\n(screenshot of the page: {path})") from error
