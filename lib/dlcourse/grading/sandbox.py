"""A sandbox per submission: the kernel that runs a student's notebook can do no harm.

nbgrader starts one kernel per notebook it grades. Here that kernel runs under bubblewrap
(``bwrap``, the sandbox Flatpak uses), which builds it a private view of the machine from
Linux namespaces, without a container runtime or a daemon:

- files: an empty root with, read-only, the system's ``/usr``, the Python installation, the
  environment's packages and the course library; the notebook's folder is a small private
  ``tmpfs`` (its release files bound in read-only) that is the only place it can write, and
  that vanishes with the kernel. ``solutions/``, ``course/`` (gradebook, other submissions,
  autograded and feedback folders), the instructor's home and other runs' files do not exist
  inside;
- no network: a network namespace with only its own loopback. The grader talks to the kernel
  over Unix sockets (jupyter_client's ``ipc`` transport) in a folder bound into the sandbox;
- its own process tree: when the kernel ends, everything it started ends with it;
- limits (``Limits``, set in ``course/nbgrader_config.py``): address space, processes and
  threads, CPU time and file size as rlimits (``prlimit``); the scratch folder's size as the
  tmpfs size; output per cell is cut by the grader (``SandboxedExecute``).

Run as root (CI, a grading server), the kernel drops to an unprivileged user of its own after
the mounts are made, so that the process limit applies (the kernel ignores RLIMIT_NPROC for
root); run as a normal user, bubblewrap uses an unprivileged user namespace, in which the
process count is the sandbox's own.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Int, List, Unicode

# The namespaces every sandbox gets. Without --unshare-user when run as root (see above).
# nbgrader tells the notebook it is being graded or validated through these; the checks
# (dlcourse.checks) and notebooks that skip ungraded experiments while grading read them.
PASSED_THROUGH = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
_NAMESPACES = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
# Configuration files the Python stack reads; nothing else of /etc is visible.
_ETC = ["/etc/ld.so.cache", "/etc/fonts", "/etc/localtime", "/etc/alternatives", "/etc/mime.types"]
# Unprivileged users for root's sandboxes: one per grading process, so that two sandboxes
# graded at once do not share a process count.
_FIRST_UID = 61000


class SandboxUnavailable(RuntimeError):
    """No sandbox can be built on this machine; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """What one submission's kernel may use. Defaults fit every assignment's heaviest hidden test."""

    memory_mb: int = 6144  # address space of each process (torch reserves much it never touches)
    processes: int = 256  # processes and threads together (torch starts a thread per core)
    cpu_seconds: int = 1800  # CPU time of each process, summed over its threads
    file_size_mb: int = 64  # the largest file it may write
    scratch_mb: int = 256  # all it may write into its working folder, and again into /tmp
    output_kb: int = 256  # text a cell's outputs may keep; the rest is cut, with a note

    def describe(self) -> str:
        return (f"memory {self.memory_mb} MiB, {self.processes} processes and threads, CPU {self.cpu_seconds} s, "
                f"files up to {self.file_size_mb} MiB and {self.scratch_mb} MiB in all, "
                f"{self.output_kb} KiB of output per cell")


def unavailable_reason() -> str | None:
    """One sentence saying why no sandbox can be had here, or None if one can."""
    advice = "or pass --no-sandbox if you trust every submission"
    if not sys.platform.startswith("linux"):
        return (f"grading sandboxes need Linux namespaces and this is {sys.platform}; "
                f"grade on a Linux machine (or in a Linux virtual machine), {advice}")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return f"bubblewrap (bwrap) is not installed; install it (Debian and Ubuntu: apt-get install bubblewrap), {advice}"
    namespaces = _NAMESPACES if os.geteuid() == 0 else ["--unshare-user", *_NAMESPACES]
    try:
        probe = subprocess.run([bwrap, *namespaces, "--ro-bind", "/", "/", "true"],
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not be started ({error}); {advice}"
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        return (f"bubblewrap cannot create namespaces on this machine ({reason}); enable unprivileged user "
                f"namespaces or grade outside this container, {advice}")
    return None


def readable_paths(hidden: list[Path]) -> list[Path]:
    """Folders the kernel must read: the Python installation, the environment and the course
    library, never one that holds any of ``hidden`` (the repository root on sys.path would)."""
    import dlcourse

    candidates = [Path(sys.base_prefix), Path(sys.prefix), Path(os.path.realpath(sys.executable)).parent.parent,
                  Path(dlcourse.__file__).resolve().parent]
    candidates += [Path(entry) for entry in sys.path if entry and Path(entry).is_dir()]
    hidden = [h.resolve() for h in hidden]
    chosen: list[Path] = []
    for path in candidates:
        path = path.resolve()
        if any(h == path or h.is_relative_to(path) or path.is_relative_to(h) for h in hidden):
            continue
        if path in (Path("/"), Path("/usr")) or str(path).startswith(("/usr/", "/proc/", "/dev/")) or not path.is_dir():
            continue  # /usr is bound whole; anything else, /tmp included, is bound on its own
        if not any(path.is_relative_to(c) for c in chosen):
            chosen = [c for c in chosen if not c.is_relative_to(path)] + [path]
    return sorted(chosen)


def bwrap_command(kernel_argv: list[str], workdir: Path, runtime: Path, readable: list[Path],
                  limits: Limits, uid: int | None = None, env: dict[str, str] | None = None) -> list[str]:
    """The command that runs ``kernel_argv`` sandboxed, with ``workdir`` as its private scratch folder.

    ``runtime`` (connection file and sockets) is the one host folder it shares. The files of
    ``workdir`` on the host are bound read-only into the scratch folder of the same path. The
    kernel starts with an empty environment plus a few fixed names; of ``env`` (the environment
    the kernel was launched with) only nbgrader's own markers pass (``PASSED_THROUGH``).
    """
    root = os.geteuid() == 0
    command = ["bwrap", *(_NAMESPACES if root else ["--unshare-user", *_NAMESPACES]),
               "--die-with-parent", "--new-session", "--hostname", "grading"]
    # Every folder on the way to a bind is made world-readable: bwrap would make it 0700,
    # which the unprivileged kernel could not pass through.
    made: set[Path] = set()

    def parents(path: Path) -> list[str]:
        out = []
        for parent in reversed(path.parents[:-1]):
            if parent not in made and str(parent) not in ("/usr",):
                made.add(parent)
                out += ["--perms", "0755", "--dir", str(parent)]
        return out

    command += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        target = Path("/") / name
        if target.is_symlink():
            command += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            command += ["--ro-bind", str(target), str(target)]
    for etc in _ETC:
        if Path(etc).exists():
            command += [*parents(Path(etc)), "--ro-bind", etc, etc]
    if Path("/sys/devices/system/cpu").is_dir():  # torch reads the CPU topology
        command += [*parents(Path("/sys/devices/system/cpu")), "--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    scratch = str(limits.scratch_mb * 1024 * 1024)
    # /tmp first: binds below it (the runtime folder, a working copy under /tmp) go on top.
    command += ["--proc", "/proc", "--dev", "/dev", "--size", scratch, "--perms", "1777", "--tmpfs", "/tmp"]
    made.add(Path("/tmp"))
    for path in readable:
        command += [*parents(path), "--ro-bind", str(path), str(path)]
        made.add(path)
    command += [*parents(runtime), "--bind", str(runtime), str(runtime)]
    command += [*parents(workdir), "--size", scratch, "--perms", "1777", "--tmpfs", str(workdir)]
    for item in sorted(workdir.iterdir()) if workdir.is_dir() else []:
        if item.is_file() and not item.is_symlink():
            command += ["--ro-bind", str(item), str(item)]
    command += ["--chdir", str(workdir), "--clearenv"]
    environment = {"HOME": str(workdir), "USER": "student", "LOGNAME": "student",
                   "LANG": "C.UTF-8", "PATH": f"{Path(kernel_argv[0]).parent}:/usr/bin:/bin",
                   "KERAS_BACKEND": "torch", "PYTHONDONTWRITEBYTECODE": "1",
                   # ipykernel: no parent to poll (bwrap ends the kernel with its parent), no banner
                   "JPY_PARENT_PID": "1", "MPLCONFIGDIR": "/tmp/matplotlib"}
    environment.update({name: (env or {})[name] for name in PASSED_THROUGH if name in (env or {})})
    for name, value in environment.items():
        command += ["--setenv", name, value]
    if root:
        uid = uid if uid is not None else _FIRST_UID + os.getpid() % 4000
        command += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs", "--"]
    mib = 1024 * 1024
    command += ["prlimit", f"--as={limits.memory_mb * mib}", f"--nproc={limits.processes}",
                f"--cpu={limits.cpu_seconds}", f"--fsize={limits.file_size_mb * mib}", "--core=0", "--"]
    return command + list(kernel_argv)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under ``bwrap_command``, reached over Unix sockets."""

    memory_mb = Int(Limits.memory_mb, help="Address space of each process of a submission's kernel, MiB.").tag(config=True)
    processes = Int(Limits.processes, help="Processes and threads a submission's kernel may have at once.").tag(config=True)
    cpu_seconds = Int(Limits.cpu_seconds, help="CPU seconds each process of a submission's kernel may use.").tag(config=True)
    file_size_mb = Int(Limits.file_size_mb, help="Largest file a submission may write, MiB.").tag(config=True)
    scratch_mb = Int(Limits.scratch_mb, help="All a submission may write, MiB (a private tmpfs).").tag(config=True)
    hidden_paths = List(Unicode(), help="Folders no submission may see; nothing holding them is bound in.").tag(config=True)

    @property
    def limits(self) -> Limits:
        return Limits(**{f.name: getattr(self, f.name) for f in fields(Limits) if hasattr(self, f.name)})

    async def _async_pre_start_kernel(self, **kw):
        self._runtime = Path(tempfile.mkdtemp(prefix="dlcourse-sandbox-"))
        self._runtime.chmod(0o777)  # the kernel's own user creates its sockets here
        self.transport = "ipc"
        self.ip = str(self._runtime / "kernel")
        self.connection_file = str(self._runtime / "kernel.json")
        return await super()._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kw) -> None:
        super().write_connection_file(**kw)
        os.chmod(self.connection_file, 0o644)  # readable by the kernel's unprivileged user

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        workdir = Path(self._launch_args.get("cwd") or os.getcwd()).resolve()
        hidden = [Path(p) for p in self.hidden_paths]
        env = self._launch_args.get("env") or os.environ
        return bwrap_command(argv, workdir, self._runtime, readable_paths(hidden), self.limits, env=env)

    async def _async_interrupt_kernel(self) -> None:
        # A signal would reach bubblewrap, not the kernel: ask the kernel to interrupt itself.
        if self.has_kernel:
            self._connect_control_socket()
            self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_runtime", None) is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)

    interrupt_kernel = _async_interrupt_kernel
    cleanup_resources = _async_cleanup_resources

