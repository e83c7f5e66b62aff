"""Build the course website into website/_build/html, whole or not at all.

Usage: python website/build.py [--from-cache]   (what `make site` and `make test` run)

Sphinx writes into website/_build/html.new; only a build that succeeded (warnings are
errors) replaces website/_build/html, so an interrupted or failed build never leaves a
half-written site. --from-cache refuses to execute lectures: every one must already be in
the execution cache (after nbval ran them in `make test`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
BUILD = WEBSITE / "_build"
HTML = BUILD / "html"


def build(from_cache: bool = False) -> int:
    """Run Sphinx; return its exit status (0 when the site was replaced)."""
    if from_cache:
        # `make test` builds after nbval ran every lecture: executing one here would be a second run.
        sys.path.insert(0, str(WEBSITE))
        import executed

        imported = executed.import_staged()
        missing = executed.uncached(sorted((REPO / "lectures").glob("*.ipynb")))
        if missing:
            print(f"the website was not built: {', '.join(p.name for p in missing)} passed no nbval run that was "
                  "handed to the site (run the lectures under pytest first, or `make site`, which executes them)",
                  file=sys.stderr)
            return 1
    partial = BUILD / "html.new"
    shutil.rmtree(partial, ignore_errors=True)
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    if from_cache:
        env["DLCOURSE_SITE_IMPORTED"] = ",".join(imported)  # conf.py has these pages read again
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-c", str(WEBSITE),
               "-d", str(BUILD / "doctrees"), str(REPO), str(partial)]
    started = time.monotonic()
    try:
        status = subprocess.run(command, cwd=REPO, env=env).returncode
    except BaseException:  # Ctrl-C: the half-built pages go, the last complete site stays
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if status != 0:
        shutil.rmtree(partial, ignore_errors=True)
        print(f"the website was not built (Sphinx exited with {status}; its messages are above)", file=sys.stderr)
        return status
    seconds = time.monotonic() - started
    # What the tests read: how the site was built (with -W) and how long it took.
    info = {"command": command[2:], "from_cache": from_cache, "seconds": round(seconds, 1)}
    (partial / "dlcourse-build.json").write_text(json.dumps(info, indent=1) + "\n")
    old = BUILD / "html.old"
    shutil.rmtree(old, ignore_errors=True)
    if HTML.exists():
        HTML.rename(old)
    partial.rename(HTML)
    shutil.rmtree(old, ignore_errors=True)
    print(f"website built in {seconds:.0f} s: open {HTML.relative_to(REPO)}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(build(from_cache="--from-cache" in sys.argv[1:]))
