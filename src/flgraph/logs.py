"""Logs that an attacker cannot inflate: one line per distinct warning per interval.

rdflib logs a warning with a full traceback for every literal whose text does not fit
its datatype (``"abc"^^xsd:integer``) whenever it parses a query: a 16 kB query of them
wrote 390 kB of log, and four clients 1 MB/s. The libraries' warnings are therefore
written as one line (the exception's last line instead of its traceback), and a warning
already written in the last ``INTERVAL`` seconds is counted, not written; the next time
it is written it says how many were left out.
"""

from __future__ import annotations

import logging
import threading
import time

INTERVAL = 60.0  # seconds during which a distinct warning is written once
LIBRARY_LOGGERS = ("rdflib", "rdflib.term", "pyshacl", "SPARQLWrapper")


class OncePerInterval(logging.Filter):
    """Passes a record whose (logger, level, message) was not passed in the last
    ``interval`` seconds, made one line; drops the others and counts them."""

    def __init__(self, interval: float = INTERVAL, clock=time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._last: dict[tuple, tuple[float, int]] = {}  # key -> (written at, left out)
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            written, left_out = self._last.get(key, (None, 0))
            if written is not None and now - written < self.interval:
                self._last[key] = (written, left_out + 1)
                return False
            self._last[key] = (now, 0)
            if len(self._last) > 10_000:  # distinct messages are bounded too
                self._last.clear()
        _one_line(record, left_out, self.interval)
        return True


def _one_line(record: logging.LogRecord, left_out: int, interval: float) -> None:
    message = " ".join(record.getMessage().split())
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        message += f" ({type(error).__name__}: {' '.join(str(error).split())})"
    if left_out:
        message += f" [and {left_out} more like it in the last {interval:g} s]"
    record.msg, record.args = message, None
    record.exc_info, record.exc_text, record.stack_info = None, None, None


def limit_library_logs(interval: float = INTERVAL) -> None:
    """Put the libraries' loggers under one ``OncePerInterval`` (once per process)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerInterval) for f in logger.filters):
            logger.addFilter(OncePerInterval(interval))
