"""Settle the C allocator after a large answer, so that the next query does not pay for it.

glibc's ``free`` puts most freed blocks on an "unsorted" list; they are sorted into size
bins later, by a ``malloc`` that finds no exact fit there, at most 10,000 per call. A
large answer frees hundreds of thousands of blocks (the engine's intermediate rows, then
the answer's terms once it is sent), and whichever query allocates next pays for the
sorting. At 2M triples, after the organisations query (28,792 rows) an ``ASK {}`` took
20–35 ms instead of 0.06 ms, and the next three queries 4–9 ms each, whatever store they
ran on (bench/RESULTS.md, 2026-11-29).

:func:`settle` asks for a block that nothing on the list fits, which makes ``malloc``
sort up to 10,000 blocks, and repeats until such a request is quick. A query worker calls
it after sending its answer, while it waits for the next job, so the cost falls in idle
time. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import os
import time

_PROBE_BYTES = 64 * 1024  # a "large" request (sorts the list), below the mmap threshold
_QUICK_NS = 20_000  # a probe that found nothing to sort takes a few microseconds
_MAX_PROBES = 256  # at most ~2.5 million blocks, ~50 ms on this project's bench machine


def _glibc():
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return None
        # the symbols already in the process, called without releasing the GIL: taking
        # it back after each call could wait a thread switch (5 ms) in a busy web process
        libc = ctypes.PyDLL(None)
    except (ValueError, OSError, AttributeError):
        return None
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.restype = None
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


_LIBC = _glibc()


def settle() -> int:
    """Sort what earlier frees left unsorted; the number of probes it took (0 off glibc)."""
    if _LIBC is None:
        return 0
    for probes in range(1, _MAX_PROBES + 1):
        started = time.perf_counter_ns()
        _LIBC.free(_LIBC.malloc(_PROBE_BYTES))  # free(NULL) is a no-op if malloc failed
        if time.perf_counter_ns() - started < _QUICK_NS:
            return probes
    return _MAX_PROBES
