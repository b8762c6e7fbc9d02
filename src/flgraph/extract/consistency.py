"""The report checked against itself while reading it.

A reported total must equal the number of distinct countries listed across the typology
columns, and a regional breakdown must match the regions of those countries; a breakdown
must add up to its total. A contradiction is a source error: the graph would otherwise
state two incompatible facts.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .errors import SourceError
from .records import CountStatement, Indicator

if TYPE_CHECKING:
    from ..reference import Reference


def check_indicator(indicator: Indicator, reference: Reference) -> None:
    for count in (indicator.target, indicator.result):
        if count is not None:
            _check_sum(indicator, count)
    if indicator.result is not None and indicator.result.total is not None:
        _check_total(indicator, indicator.result)
        if indicator.result.breakdown:
            _check_regions(indicator, indicator.result, reference)


def _error(count: CountStatement, indicator: Indicator, message: str) -> SourceError:
    ev = count.evidence
    return SourceError(ev.source.name, ev.line,
                       f"{ev.table}, indicator {indicator.code}, {ev.column}: {message}")


def _check_sum(indicator: Indicator, count: CountStatement) -> None:
    if count.total is None or not count.breakdown:
        return
    parts = sum(part.count for part in count.breakdown)
    if parts != count.total:
        raise _error(count, indicator,
                     f"the regional breakdown adds up to {parts}, the total says {count.total}")


def _check_total(indicator: Indicator, result: CountStatement) -> None:
    listed = indicator.countries
    if result.total != len(listed):
        raise _error(result, indicator,
                     f"reports {result.total} but the typology columns list {len(listed)} "
                     f"distinct countries ({', '.join(listed) or 'none'})")


def _check_regions(indicator: Indicator, result: CountStatement, reference: Reference) -> None:
    # ILO regions group member States: a territory the columns list counts in the total,
    # where the report counts it, but in no region
    members = [iso3 for iso3 in indicator.countries if reference.country(iso3).member]
    unsourced = [iso3 for iso3 in members if reference.country(iso3).region is None]
    if unsourced:
        raise _error(result, indicator,
                     f"cannot check the regional breakdown: no ILO region in the reference "
                     f"data for {', '.join(unsourced)}")
    listed = Counter(reference.country(iso3).region for iso3 in members)
    stated = {part.region: part.count for part in result.breakdown}
    for region in sorted(set(listed) | set(stated)):
        if listed.get(region, 0) != stated.get(region, 0):
            label = reference.region_by_slug(region).label
            names = [iso3 for iso3 in members if reference.country(iso3).region == region]
            raise _error(result, indicator,
                         f"states {stated.get(region, 0)} in {label} but the listed countries "
                         f"include {listed.get(region, 0)} there ({', '.join(names) or 'none'})")
