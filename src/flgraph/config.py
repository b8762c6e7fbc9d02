"""The bounds every query runs under: one frozen value, read by the gateway (the text's
size and shape), the service (deadlines, lanes, fairness) and the worker pools."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Defaults in line with public endpoints: seconds per query, thousands of rows.

    ``timeout`` is the wall-clock deadline of a query from its arrival (waiting for a
    worker included); ``max_result_bytes`` bounds the text of the terms of one result,
    whatever the rows hold (a crafted query can build megabyte literals).
    """

    row_limit: int = 10_000
    max_result_bytes: int = 16 * 1024**2
    timeout: float = 5.0
    max_query_bytes: int = 20_000
    max_nesting: int = 64
    max_patterns: int = 150
    max_unions: int = 64
    max_subqueries: int = 16
    max_paths: int = 32
    queue_wait: float = 2.0  # longest wait for a free site worker before answering 429
    # the same for /sparql queries: long enough to ride out a worker's respawn after a
    # query past its deadline (a flood from one client is told at once by its share)
    public_queue_wait: float = 2.0
    max_concurrent: int = 4  # queries at once per web process when there is no pool
    max_public_concurrent: int = 2  # of which /sparql queries may hold at most this many
    public_per_client: int = 1  # /sparql queries one client address runs at once (0: any)
    public_per_client_queue: int = 8  # ... and how many more wait their turn (then 429)
