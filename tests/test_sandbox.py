"""The sandbox's command line and what it lets a kernel read (no kernel started here; the
red-team suite and every grading test run kernels in it)."""
import sys
from pathlib import Path

import dlcourse
from dlcourse.grading.sandbox import Limits, bwrap_command, readable_paths

REPO = Path(__file__).resolve().parent.parent


def test_readable_paths_hold_the_environment_and_never_a_folder_holding_the_solutions():
    hidden = [REPO / "solutions", REPO / "course"]
    paths = readable_paths(hidden)
    assert any(Path(sys.prefix).resolve().is_relative_to(p) for p in paths)
    assert any(Path(dlcourse.__file__).resolve().is_relative_to(p) for p in paths)
    for path in paths:
        assert not any(h.resolve().is_relative_to(path) or path.is_relative_to(h.resolve()) for h in hidden), path


def test_a_python_environment_under_tmp_is_bound_on_top_of_the_sandboxes_own_tmp(tmp_path):
    """The sandbox's /tmp is a fresh tmpfs; binds below it must come after it (a clone in /tmp)."""
    venv = tmp_path / "clone" / ".venv"
    command = bwrap_command([str(venv / "bin" / "python"), "-m", "ipykernel_launcher"], tmp_path / "work",
                            tmp_path / "runtime", [venv], Limits())
    tmpfs = command.index("/tmp", command.index("--tmpfs"))
    bind = command.index(str(venv), command.index("--ro-bind", tmpfs))
    assert tmpfs < bind
    assert command[command.index("--chdir") + 1] == str(tmp_path / "work")


def test_limits_reach_the_kernel_as_rlimits(tmp_path):
    limits = Limits(memory_mb=100, processes=7, cpu_seconds=9, file_size_mb=3)
    command = bwrap_command(["python"], tmp_path / "w", tmp_path / "r", [], limits)
    tail = command[command.index("prlimit"):]
    assert f"--as={100 * 2**20}" in tail and "--nproc=7" in tail and "--cpu=9" in tail and f"--fsize={3 * 2**20}" in tail
    assert "--unshare-net" in command and "--die-with-parent" in command and "--clearenv" in command


def test_only_nbgraders_markers_of_the_launch_environment_reach_the_kernel(tmp_path):
    """--clearenv empties the kernel's environment; nbgrader's NBGRADER_EXECUTION must still
    arrive (while grading the checks stop at the first failure, and ungraded experiments skip)."""
    env = {"NBGRADER_EXECUTION": "autograde", "NBGRADER_VALIDATING": "1", "SECRET_TOKEN": "x", "PATH": "/evil"}
    command = bwrap_command(["python"], tmp_path / "w", tmp_path / "r", [], Limits(), env=env)
    pairs = {(command[i + 1], command[i + 2]) for i, word in enumerate(command) if word == "--setenv"}
    assert ("NBGRADER_EXECUTION", "autograde") in pairs and ("NBGRADER_VALIDATING", "1") in pairs
    assert not any(name == "SECRET_TOKEN" or value == "/evil" for name, value in pairs)
    plain = bwrap_command(["python"], tmp_path / "w", tmp_path / "r", [], Limits())
    assert "NBGRADER_EXECUTION" not in plain
