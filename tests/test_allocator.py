"""The allocator is settled after an answer (allocator.py): blocks that frees left
unsorted are sorted before the next query, which then does not pay for them."""

from __future__ import annotations

from flgraph.query import allocator

from .conftest import require

BLOCKS = 80_000  # every other one freed: 40,000 unsorted blocks, four probes' worth


def scatter_frees(libc) -> list[int]:
    """Free every other one of many small blocks, so that none can merge with a
    neighbour: each stays a block of its own on glibc's unsorted list."""
    blocks = [libc.malloc(256) for _ in range(BLOCKS)]
    for block in blocks[::2]:
        libc.free(block)
    return blocks[1::2]


def test_settling_sorts_what_frees_left_and_then_has_nothing_to_do():
    libc = allocator._LIBC
    require(libc is not None, "glibc (the allocator settle() works on)")
    kept = scatter_frees(libc)
    try:
        first = allocator.settle()
        second = allocator.settle()
    finally:
        for block in kept:
            libc.free(block)
    # one probe sorts at most 10,000 blocks: 40,000 need at least four
    assert first >= 4
    assert second < first


def test_off_glibc_settling_does_nothing(monkeypatch):
    monkeypatch.setattr(allocator, "_LIBC", None)
    assert allocator.settle() == 0

