"""Dumps of the served data kept as files, written once per dataset version and format.

A dump of 2M triples is 100–400 MB and takes tens of seconds to write: kept in memory,
every web process would hold one per format. On disk, each is written once (the first
process to ask writes it under a file lock; the others wait and then read it), served
with ``send_file`` (conditional and range requests), and forgotten with its version.

The directory is private to the server: ``flgraph serve`` makes one (``mkdtemp``, mode
0700) before it starts its web processes, so that they share it, and removes it when it
stops; an app made without one (tests, the app factory) makes its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

from ..durable import scratch_directory


class DumpFiles:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()  # one writer per process; the file lock for the others

    @classmethod
    def private(cls) -> DumpFiles:
        """A new directory of its own, removed with this object (or at exit)."""
        directory = scratch_directory("dumps")
        files = cls(directory)
        weakref.finalize(files, remove_if_owner, directory, os.getpid())
        return files

    def path(self, version: str, name: str) -> Path:
        return self._version_dir(version) / name

    def written(self, version: str, name: str) -> Path | None:
        """The file if it has been written for this version, else None (nothing is written)."""
        target = self.path(version, name)
        return target if target.is_file() else None

    def get(self, version: str, name: str, write: Callable[[Path], None]) -> Path:
        """The file for this version, written by ``write(path)`` if it is not there yet."""
        target = self.path(version, name)
        if target.is_file():
            return target
        with self._lock:
            directory = target.parent
            if not directory.is_dir():
                self._forget_other_versions(directory)
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(directory / ".lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be writing it
                if not target.is_file():
                    self._write(target, write)
        return target

    def _version_dir(self, version: str) -> Path:
        # a version is any text (a remote store's checksum): a fixed-length name for it
        return self.directory / hashlib.sha256(version.encode("utf-8")).hexdigest()[:16]

    def _forget_other_versions(self, keep: Path) -> None:
        """Dumps of other versions are of data no longer served (an open file stays
        readable by whoever is sending it)."""
        if not self.directory.is_dir():
            return
        for other in self.directory.iterdir():
            if other != keep and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)

    @staticmethod
    def _write(target: Path, write: Callable[[Path], None]) -> None:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            write(partial)
            os.replace(partial, target)  # readers see the whole file or none
        finally:
            partial.unlink(missing_ok=True)


def remove_if_owner(directory: Path, owner: int) -> None:
    """Remove ``directory`` if this is the process ``owner`` that made it: a process forked
    from it (a web process) exits through the same code and must leave it to the others."""
    if os.getpid() == owner:
        shutil.rmtree(directory, ignore_errors=True)
