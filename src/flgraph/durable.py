"""Writes that survive a crash: a file or a store is replaced whole or not at all.

A file (the built dataset, an export) is written beside its target, flushed to disk,
given the target's mode, and renamed over it; the directory is flushed after the
rename, so after a power cut or a kill -9 the target is the old file or the new one,
never a mix or nothing. Temporary files carry the writer's process id, so those of a
writer that died are removed by the next one.

An on-disk store (a directory) cannot be swapped with one rename while it is a
directory, so the store directory holds its versions and a symbolic link ``active`` to
the one in use, replaced with one rename (``replace_directory``); readers open what
``active`` names (``active_directory``).

A server's scratch directories (the engine's copy of the data, dumps, answer pipes) are
named with the process id of the server that made them (``scratch_directory``): a
server killed with -9 cannot remove them, and the next ``flgraph serve`` removes those
whose process is gone (``sweep_scratch``) — a dump or a data copy can be the dataset's
full size.

``FLGRAPH_CRASH_AT=<step>`` kills the process at that step (``crash_point``): the tests
use it to prove each step safe.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .config import environment

ACTIVE = "active"  # the link, inside a store directory, to the version in use
DEFAULT_MODE = 0o644  # a new file's mode (before the umask), as open() would give it


SCRATCH_KINDS = ("engine", "dumps", "answers")
_SCRATCH_NAME = re.compile(r"flgraph-(?:" + "|".join(SCRATCH_KINDS) + r")-(\d+)-[^/]+")


def scratch_directory(kind: str) -> Path:
    """A new private directory (mode 0700) for ``kind`` of scratch files of this process."""
    if kind not in SCRATCH_KINDS:
        raise ValueError(f"unknown kind of scratch directory: {kind!r}")
    return Path(tempfile.mkdtemp(prefix=f"flgraph-{kind}-{os.getpid()}-"))


def sweep_scratch(directory: Path | None = None) -> list[Path]:
    """Remove the scratch directories of processes that are gone; the ones removed."""
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob("flgraph-*-*-*"):
        found = _SCRATCH_NAME.fullmatch(path.name)
        if found and path.is_dir() and not _alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class WriteFailed(Exception):
    """A file could not be written (disk full, no permission); the old one stays."""


def crash_point(step: str) -> None:
    """Die here, as kill -9 would, when ``FLGRAPH_CRASH_AT`` names this step."""
    if environment().crash_at == step:
        os.kill(os.getpid(), signal.SIGKILL)


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """``write(path)`` into a temporary file beside ``target``, flushed, then renamed over
    it; ``WriteFailed`` (and the old file untouched) when the disk refuses."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent, f".{target.name}.")
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        write(tmp)
        crash_point("written")
        _fsync_file(tmp)
        os.chmod(tmp, _mode_for(target))
        crash_point("flushed")
        os.replace(tmp, target)
        crash_point("renamed")
        fsync_directory(target.parent)
    except OSError as err:
        raise WriteFailed(f"cannot write {target}: {_reason(err)}; it was left as it "
                          "was") from None
    finally:
        tmp.unlink(missing_ok=True)


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    return err.strerror or str(err)


def _mode_for(target: Path) -> int:
    """The mode the file keeps: the target's own, or a new file's under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return DEFAULT_MODE & ~umask


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_directory(path: Path) -> None:
    """Flush a directory's entries (a rename is durable once its directory is)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file under ``root``, then its directories."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            _fsync_file(Path(folder) / name)
        fsync_directory(Path(folder))


def remove_stale(folder: Path, prefix: str) -> None:
    """Remove the temporary files and directories named ``<prefix>…<pid>…`` of writers no
    longer running (a kill -9 leaves them at full size)."""
    with contextlib.suppress(FileNotFoundError):
        for entry in folder.iterdir():
            if entry.name.startswith(prefix) and not _owner_alive(entry.name[len(prefix):]):
                _remove(entry)


def _owner_alive(rest: str) -> bool:
    """Whether the process id in a temporary name (``<pid>.tmp``, ``loading-<pid>``) runs;
    a name without one is not a temporary file of ours, and is kept."""
    digits = "".join(ch if ch.isdigit() else " " for ch in rest).split()
    if not digits:
        return True
    pid = int(digits[-1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def active_directory(store: Path) -> Path:
    """The directory a reader opens for the store at ``store``: the version ``active``
    names, or ``store`` itself (a store loaded before versions were kept)."""
    link = store / ACTIVE
    return link.resolve() if link.is_symlink() else store


def new_version(store: Path) -> Path:
    """A fresh directory inside ``store`` to load the next version into (old ones of dead
    loaders removed)."""
    store.mkdir(parents=True, exist_ok=True)
    remove_stale(store, ".loading-")
    fresh = store / f".loading-{os.getpid()}"
    _remove(fresh)
    return fresh


def replace_directory(fresh: Path, store: Path) -> None:
    """Make the loaded ``fresh`` the store's active version with one rename, after it is
    on disk; then remove what the store held before (the previous version, or the files
    of a store from before versions were kept)."""
    fsync_tree(fresh)
    crash_point("loaded")
    version = store / f"v-{time.time_ns()}"
    fresh.rename(version)
    crash_point("named")
    link = store / f".link-{os.getpid()}"
    _remove(link)
    link.symlink_to(version.name)
    fsync_directory(store)
    crash_point("linked")
    os.replace(link, store / ACTIVE)
    fsync_directory(store)
    crash_point("switched")
    for entry in store.iterdir():
        if entry.name in (ACTIVE, version.name):
            continue
        if entry.name.startswith((".loading-", ".link-")):  # another loader's, if it runs
            remove_stale(store, entry.name[:entry.name.index("-") + 1])
        else:
            _remove(entry)
