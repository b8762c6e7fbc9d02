"""Multi-row merged table headers flattened into one label path per column.

Table 1's header is three rows: "Results" spans the result columns, "Capacity
development" spans its two sub-columns. A label stretches right over empty cells, within
the span of the label above it, so each column gets a path such as
("Results", "Capacity development", "Institutional capacity").
"""

from __future__ import annotations

from .cells import cell_text, parse_cell
from .layout import RawRow


def header_paths(rows: list[RawRow], width: int) -> list[tuple[str, ...]]:
    """The label path of each of ``width`` columns."""
    grid = [[cell_text(parse_cell(text, offset)).text for text, offset in row.cells]
            + [""] * (width - len(row.cells)) for row in rows]
    parents: list[tuple[int, int]] = [(0, width)]  # spans of the row above
    paths: list[list[str]] = [[] for _ in range(width)]
    for labels in grid:
        spans = _spans(labels[:width], parents)
        for start, end in spans:
            for col in range(start, end):
                paths[col].append(labels[start])
        parents = spans + _uncovered(spans, width)
    return [tuple(p) for p in paths]


def _spans(labels: list[str], parents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each label, stretched over empty cells up to its parent's end."""
    spans = []
    for col, label in enumerate(labels):
        if not label:
            continue
        limit = next((end for start, end in parents if start <= col < end), len(labels))
        end = col + 1
        while end < limit and not labels[end]:
            end += 1
        spans.append((col, end))
    return spans


def _uncovered(spans: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """Single-column spans for columns no label covers, so lower rows stay in bounds."""
    covered = {c for start, end in spans for c in range(start, end)}
    return [(c, c + 1) for c in range(width) if c not in covered]
