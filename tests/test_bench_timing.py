"""The benchmark's own choices of what to time: how often a query is run, and the bare
pyoxigraph load the on-disk load is compared with. These test bench/ itself, through its
public functions; what tests and benchmarks merely share lives in ``testbed``."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from bench import oxigraph_load
from bench.worker import repeats

from flgraph.durable import active_directory
from flgraph.store.loading import load_oxigraph

TRIG = b"""\
@prefix ex: <http://example.org/> .
ex:g1 { ex:a ex:p "one" , "two" . }
ex:g2 { ex:b ex:p ex:a . ex:b ex:q "three"@en . }
"""


@pytest.mark.parametrize(
    ("warm_up_s", "runs"),
    [(0.06, 5), (1.9, 5), (2.5, 4), (4.0, 2), (9.9, 1), (30.0, 1)],
)
def test_a_budget_times_a_fast_query_fully_and_a_slow_one_at_least_once(warm_up_s, runs):
    assert repeats(warm_up_s, {"repeats": 5, "budget_s": 10.0}) == runs


def test_without_a_budget_every_query_gets_every_run():
    assert repeats(30.0, {"repeats": 5}) == 5
    assert repeats(0.0, {"repeats": 3}) == 3


def test_the_bare_load_builds_the_store_flgraph_load_builds(tmp_path):
    """The floor is only a floor if it does the same work: the same quads end up on disk."""
    data = tmp_path / "data.trig"
    data.write_bytes(TRIG)
    report = oxigraph_load.main(data, tmp_path / "bare")
    assert set(report) == {"bulk_load_s", "optimize_s"}
    assert all(seconds >= 0 for seconds in report.values())
    load_oxigraph(tmp_path / "flgraph", data)

    def quads(path):  # flgraph's store is the version its directory names as active
        store = ox.Store.read_only(str(active_directory(path)))
        return set(store.quads_for_pattern(None, None, None, None))

    bare = quads(tmp_path / "bare")
    assert len(bare) == 4
    assert bare == quads(tmp_path / "flgraph")
