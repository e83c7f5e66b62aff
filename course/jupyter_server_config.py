"""JupyterLab settings of the course, read by `make lab` (which passes this file as --config).

- course/lab/settings/overrides.json: the defaults the course changes. JupyterLab asks on first
  start whether to fetch Jupyter's news from the internet; the course runs offline, so it never asks.
- course/lab/extensions/dlcourse-lab: a small prebuilt JupyterLab extension that hides nbgrader's
  Validate button on lectures (they have no tests to validate); assignments keep it.

A student's own settings (Settings > Settings Editor) still override these defaults.
"""
from pathlib import Path

COURSE = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file

c.LabApp.app_settings_dir = str(COURSE / "lab" / "settings")
c.LabApp.extra_labextensions_path = [str(COURSE / "lab" / "extensions")]
