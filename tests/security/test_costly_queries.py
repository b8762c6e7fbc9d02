"""The public lane degrades first: costly /sparql queries from many addresses hold at most
half of its workers, each at the least CPU priority, and a cheap query from another
address is still answered while they run.

Four addresses each send a cartesian product (minutes of work) at once; the public lane
had four workers (``--workers 2`` × ``--public-workers 2``; now a spare each too), so
these four held all of them until their deadline and every other client's query waited,
then got 429.
Now a query that has used a quarter of a second of CPU (or held its worker a fifth of
its deadline) needs one of the places for costly queries, one per web process: at most
two of the four run on (niced to 19) until their deadline, the others are stopped at
once, and their workers are forked anew."""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests
from testbed.loopback import session_from
from testbed.slow_clients import address

from tests.conftest import start_server, stop_server

from .test_costs import EXPENSIVE

COSTLY = EXPENSIVE["cartesian product"]
DEADLINE = 15  # --timeout: seconds a query may run (a costly one gets CPU slowly on a busy machine)
PLACES = 2  # half of the public lane's four workers: one per web process
LEAST_PRIORITY = 19


@pytest.fixture(scope="module")
def server(dataset_file, security_home):
    live = start_server("--data", str(dataset_file), "--timeout", str(DEADLINE),
                        env={"FLGRAPH_HOME": str(security_home)})
    yield live
    stop_server(live)


def _workers(server) -> list[psutil.Process]:
    """The engine's query workers (children of its generations)."""
    engines = [p for p in psutil.Process(server.process.pid).children()
               if "flgraph.query.engine.server" in " ".join(p.cmdline())]
    return [worker for engine in engines for generation in engine.children()
            for worker in generation.children()]


def _lowered(server) -> int:
    count = 0
    for worker in _workers(server):
        with contextlib.suppress(psutil.Error):  # it just ended
            count += worker.nice() == LEAST_PRIORITY
    return count


def _costly(url: str, n: int) -> requests.Response:
    return session_from(address(n)).get(url + "/sparql", timeout=DEADLINE + 30,
                                        params={"query": f"{COSTLY} # {n} {time.time()}"})


def test_costly_queries_hold_at_most_half_the_lane_and_a_cheap_one_answers(server):
    with ThreadPoolExecutor(4) as pool:
        attacks = [pool.submit(_costly, server.url, n) for n in range(4)]
        lowered, until = 0, time.monotonic() + DEADLINE - 1
        while time.monotonic() < until and not lowered:
            time.sleep(0.1)
            lowered = _lowered(server)
        # a question new to every cache: a public worker must answer it
        cheap = session_from(address(100)).get(
            server.url + "/sparql", timeout=30,
            params={"query": f"ASK {{ ?s ?p ?o }} # {time.time()}"},
            headers={"Accept": "application/sparql-results+json"})
        # the most workers lowered at once, watched until every costly query has ended
        most = lowered
        while not all(attack.done() for attack in attacks):
            most = max(most, _lowered(server))
            time.sleep(0.1)
        answers = [attack.result() for attack in attacks]
    assert cheap.status_code == 200, cheap.text[:300]
    assert cheap.json()["boolean"] is True
    assert lowered >= 1, "no costly query was lowered before its deadline"
    assert most <= PLACES, f"{most} workers lowered at once; {PLACES} places"
    assert [answer.status_code for answer in answers] == [503] * 4
    texts = [answer.text for answer in answers]
    stopped = [text for text in texts if "as many long queries as it may" in text]
    timed_out = [text for text in texts if "ran longer than" in text]
    assert len(timed_out) <= PLACES and len(stopped) + len(timed_out) == 4, texts


def test_a_worker_lowered_for_a_costly_query_is_replaced(server):
    """After its query a lowered worker leaves and the engine forks a fresh one, at the
    lane's own priority: no worker stays at the least priority."""
    _costly(server.url, 7)
    deadline = time.monotonic() + 10
    while _lowered(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _lowered(server) == 0
    assert len(_workers(server)) == 10  # the site's four, the public lane's four + 2 spares


@pytest.fixture(scope="module")
def one_process(dataset_file, security_home):
    """One web process: one place for costly queries, whichever process a request meets;
    a long deadline, so that the query holding the place outlasts the test's steps on a
    busy machine."""
    live = start_server("--data", str(dataset_file), "--timeout", str(2 * DEADLINE),
                        "--workers", "1", env={"FLGRAPH_HOME": str(security_home)})
    yield live
    stop_server(live)


REPLACED_WITHIN = 1.0  # seconds: a killed worker is reaped and forked anew well within


def _public_pids(server) -> set[int]:
    """The public lane's workers (niced; the site's run at 0): the site's are left out,
    as the warm-up keeps them busy and the engine replaces one holding more than its
    share of memory whenever it does."""
    pids = set()
    for worker in _workers(server):
        with contextlib.suppress(psutil.Error):  # it just ended
            # a killed worker stays a zombie until the engine reaps it: not a worker
            if worker.nice() != 0 and worker.status() != psutil.STATUS_ZOMBIE:
                pids.add(worker.pid)
    return pids


def _replaced(server, count: int, old: set[int]) -> set[int]:
    """The public lane's workers once one of ``old`` has been replaced."""
    deadline = time.monotonic() + 10
    while (pids := _public_pids(server)) == old or len(pids) != count:
        assert time.monotonic() < deadline, "the stopped worker was not replaced"
        time.sleep(0.05)
    return pids


def _settled_workers(server, count: int) -> set[int]:
    """The public lane's workers' pids once ``count`` of them run (a killed one is forked
    anew)."""
    deadline = time.monotonic() + 10
    while len(pids := _public_pids(server)) != count:
        assert time.monotonic() < deadline, f"{len(pids)} public workers, not {count}"
        time.sleep(0.05)
    return pids


@pytest.mark.slow
def test_a_client_of_costly_queries_is_refused_before_a_worker_runs_its_next(one_process):
    """While the one place is held, a client whose costly query was just stopped sends
    another: it is refused at once, and no worker runs it (none is stopped and forked
    anew). Before, each of its queries ran a quarter of a second of CPU first, at the
    priority of every reader's query, and cost a worker."""
    server = one_process
    workers = 3  # --workers 1: the public lane's two workers and a spare
    _settled_workers(server, workers)
    with ThreadPoolExecutor(1) as pool:
        holder = pool.submit(_costly, server.url, 30)
        deadline = time.monotonic() + DEADLINE
        while not _lowered(server):  # it holds the place
            assert time.monotonic() < deadline, "the costly query was never lowered"
            time.sleep(0.05)
        initial = _settled_workers(server, workers)
        first = _costly(server.url, 31)  # found costly, no place: stopped, worker killed
        assert first.status_code == 503 and "long queries" in first.text, first.text
        # the 503 may come before the killed worker is gone: wait for its replacement
        before = _replaced(server, workers, initial)
        second = _costly(server.url, 31)
        time.sleep(REPLACED_WITHIN)  # a worker killed for it would be replaced by now
        after = _settled_workers(server, workers)
        assert second.status_code == 503 and "long queries" in second.text, second.text
        assert not holder.done(), "the place's query ended during the test: inconclusive"
        assert after == before, "a worker ran the known client's query and was stopped"
        assert _lowered(server) == 1  # the holder still runs, alone in its place
    assert holder.result().status_code == 503  # stopped at its deadline
