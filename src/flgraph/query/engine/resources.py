"""Limits of a forked query worker, sized from the machine.

Each worker caps its address space (``RLIMIT_AS``): a query that would take more memory
fails alone instead of pushing the machine into swap. The cap used to be 2 GiB per
worker whatever the machine — 8 workers could reach 16 GiB on a machine with 4. Now the
workers share one budget, half the memory of the machine (or of the container's cgroup,
if lower): each gets the address space it inherits from the engine (the shared store and
the libraries, mapped once for all) plus an equal share of what the budget leaves.

Core dumps are off in workers (``RLIMIT_CORE`` 0): a worker killed at its cap wrote a
core of its whole address space (485 MB with the report data) wherever cores were on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
from pathlib import Path

BUDGET_SHARE = 0.5  # of the machine's memory, for all query workers together
MIN_HEADROOM = 256 * 1024**2  # a worker may always allocate this much beyond what it maps
MIN_PRIVATE = 12 * 1024**2  # a worker is never replaced for holding less than this alone
_CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")


def machine_memory() -> int:
    """Physical memory in bytes, or the cgroup's limit when it is lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = _CGROUP_LIMIT.read_text().strip()
    except OSError:
        return total
    return min(total, int(limit)) if limit.isdigit() else total


def mapped_bytes() -> tuple[int, int]:
    """(address space, resident set) of this process, from /proc."""
    fields = Path("/proc/self/statm").read_text().split()
    page = os.sysconf("SC_PAGE_SIZE")
    return int(fields[0]) * page, int(fields[1]) * page


def worker_memory(workers: int, budget: int | None = None) -> int:
    """The address-space cap of each of ``workers`` workers forked from this process."""
    budget = int(machine_memory() * BUDGET_SHARE) if budget is None else budget
    address_space, resident = mapped_bytes()
    share = (budget - resident) // max(1, workers)
    return address_space + max(MIN_HEADROOM, share)


def private_limit(workers: int) -> int:
    """How much memory of its own a worker forked from this process may hold before it
    is replaced by a fresh fork.

    Forked workers share the store's pages only until they write to them, and reading
    pyoxigraph's memory store writes (reference counts on the quads it visits): after one
    COUNT(*) over 200k triples each worker held 60 MB of its own, at 2M 600 MB — eight
    workers made the store's memory 5× (bench/engine_memory.py). The workers together
    may hold a third of a store of their own (the engine's target is 1.5× one store,
    and each Python process also holds a few MB alone whatever it does: the
    interpreter's own variables, its stack, the allocator's lists); one that holds more
    than its share leaves after its answer, and the fork that replaces it shares every
    page again (a fork takes milliseconds). The generation looks too (server._Sweep),
    so a worker over its share is replaced within a second of its last query. The floor
    keeps workers from being replaced for nothing on a small store: with 4 MB (twice a
    fresh worker's own memory) the workers of the report data were replaced about every
    second while pages were asked for, and queries waiting for a worker meanwhile failed
    in the engine's tests; with 8 MB and only the workers' own checks, after almost
    every page query. It costs memory on a mid-sized store: ten workers may hold 120 MB
    alone beside a store of 86 MB at 200k triples while they work; a worker that goes idle
    holding more than a fresh fork is replaced (server._Sweep)."""
    _, resident = mapped_bytes()
    return max(MIN_PRIVATE, resident // (3 * max(1, workers)))


def return_freed_memory() -> None:
    """Give the pages glibc's allocator holds free back to the system (``malloc_trim``):
    what loading left behind would otherwise be resident in the generation, and mapped
    in every worker it forks. Elsewhere than glibc it does nothing."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def private_bytes() -> int:
    """Memory this process holds alone (pages it wrote since the fork, and its own), once
    it has given back what its allocator held free: a worker checked after a large answer
    keeps only what it still uses (the answer's blocks, freed, stayed resident: 3 MB
    after a few small queries), and is replaced only if that is over its share."""
    return_freed_memory()
    return held_alone("self")


def held_alone(pid: int | str) -> int:
    """Memory process ``pid`` holds alone, from /proc (``OSError`` if it ended)."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Dirty:", "Private_Clean:")):
            total += int(line.split()[1]) * 1024
    return total


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) process ``pid`` has used, from /proc: about 20 µs,
    cheap enough to read every few tens of milliseconds while a query runs."""
    fields = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def limit_worker(memory_bytes: int | None) -> None:
    """In a freshly forked worker: no core dumps, and its memory cap."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
