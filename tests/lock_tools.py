"""The locked environment: requirements.txt (made by pip-compile) and what follows from it.

`make lock` runs pip-compile on pyproject.toml, which writes requirements.txt: every package
the course installs, pinned with `==` and with the sha256 hashes of its files. Then it runs
``python tests/lock_tools.py environment``, which writes the same pins into environment.yml's
pip section, so the conda route installs the very same versions. tests/test_packaging.py
checks that the three files agree.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.txt"
ENVIRONMENT = REPO / "environment.yml"

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")

ENVIRONMENT_HEADER = """\
# The conda route to the environment `make lab` builds with pip:
#   conda env create -f environment.yml && conda activate dlcourse
#   python -m ipykernel install --sys-prefix --name dlcourse --env KERAS_BACKEND torch
# The pip section is written by `make lock` from requirements.txt: the same versions, pinned
# with ==, so both routes install the same packages (tests/test_packaging.py checks it).
# Do not edit the pins by hand: change pyproject.toml and run `make lock`.
"""


def normalise(name: str) -> str:
    """A package name as pip compares it: 'Scikit_Learn' -> 'scikit-learn'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, str]:
    """{package: version} of every `name==version` line of a lock file or a pip section."""
    pins = {}
    for line in text.splitlines():
        match = _PIN.match(line.strip().removeprefix("- ").strip())
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def environment_yml(pins: dict[str, str]) -> str:
    """environment.yml with `pins` as its pip section, the project itself installed last."""
    lines = [ENVIRONMENT_HEADER + "name: dlcourse", "channels:", "  - conda-forge", "dependencies:",
             "  - python=3.11", "  - pip", "  - pip:"]
    lines += [f"      - {name}=={version}" for name, version in sorted(pins.items())]
    lines += ["      - --editable .[dev]", "variables:", "  KERAS_BACKEND: torch"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv != ["environment"]:
        print("usage: python tests/lock_tools.py environment   (rewrites environment.yml from requirements.txt)",
              file=sys.stderr)
        return 2
    if not LOCK.exists():
        print("requirements.txt is missing: run `make lock` to create it from pyproject.toml.", file=sys.stderr)
        return 1
    ENVIRONMENT.write_text(environment_yml(read_pins(LOCK.read_text())))
    print(f"wrote {ENVIRONMENT.name} with the {len(read_pins(LOCK.read_text()))} pins of {LOCK.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
