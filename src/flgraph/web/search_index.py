"""The search index of the served data: one file per data version, shared by the web
processes, built in the background so that no page waits for it.

The file lives beside the dumps (web/dump_files.py: the directory ``flgraph serve``
makes before its web processes fork), so it is written once whichever process asks
first (under the same file lock), renamed into place whole, and forgotten with its
version. Until it is there, :meth:`SearchIndexes.current` answers None and starts
building it on a thread; under ``flgraph serve`` the build itself runs in a child
process (web/whole_dataset.py), so the web process neither stalls nor keeps the
memory of reading every text. A remote store's version is asked for again every few
seconds (web/services.py): when its data change, the next search builds the next index,
and no search is ever answered from the data of an earlier version.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app

from ..search import SearchIndex, build_index
from . import whole_dataset
from .dump_files import DumpFiles
from .services import services

FILE_NAME = "search.sqlite"
RETRY_AFTER_FAILURE = 30.0  # seconds before a failed build is tried again

log = logging.getLogger(__name__)


class IndexFailed(Exception):
    """The index of this version could not be built (the message says why)."""


class SearchIndexes:
    def __init__(self, files: DumpFiles) -> None:
        self.files = files
        self._lock = threading.Lock()
        self._building: set[str] = set()
        self._failed: dict[str, tuple[float, str]] = {}

    def ready(self) -> bool:
        """Whether the index of the data served now is there (nothing is started)."""
        return self.files.written(services().current_version(), FILE_NAME) is not None

    def current(self) -> SearchIndex | None:
        """The index of the data served now, or None while it is being built."""
        version = services().current_version()
        path = self.files.written(version, FILE_NAME)
        if path is not None:
            return SearchIndex(path)
        self._start(current_app._get_current_object(), version)
        return None

    def _start(self, app: Flask, version: str) -> None:
        with self._lock:
            failed = self._failed.get(version)
            if failed and time.monotonic() - failed[0] < RETRY_AFTER_FAILURE:
                raise IndexFailed(failed[1])
            if version in self._building:
                return
            self._building.add(version)
        threading.Thread(target=self._build, args=(app, version), daemon=True,
                         name="search-index").start()

    def _build(self, app: Flask, version: str) -> None:
        try:
            with app.app_context():
                self.files.get(version, FILE_NAME,
                               lambda target: whole_dataset.run(build_index, target))
            self._failed.pop(version, None)
        except Exception as err:  # reported to the searches that follow, then retried
            log.warning("search index of version %s: %s", version, err)
            self._failed[version] = (time.monotonic(), f"{type(err).__name__}: {err}")
        finally:
            with self._lock:
                self._building.discard(version)


def indexes() -> SearchIndexes:
    app = current_app
    found = app.extensions.get("flgraph-search")
    if found is None:
        found = app.extensions.setdefault("flgraph-search",
                                          SearchIndexes(app.extensions["flgraph-dumps"]))
    return found
