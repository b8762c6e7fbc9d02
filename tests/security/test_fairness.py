"""One client cannot hold the public lane: /sparql queries are shared out per client
(an address; an IPv6 /64), so a client sending slow queries back to back waits for its
own earlier ones, in a short line of its own, while another client's query meets a free
worker; parallel well-behaved clients from one address are answered without errors."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from testbed.loopback import session_from

from flgraph.query.errors import Overloaded, QueryTimeout
from flgraph.query.service import ClientShares
from tests.conftest import start_server, stop_server, wait_for_query_workers

from .test_costs import EXPENSIVE

SLOW = EXPENSIVE["cartesian product"]
DEADLINE = 2.0  # the server's --timeout


@pytest.fixture(scope="module")
def server(dataset_file):
    live = start_server("--data", str(dataset_file), "--workers", "1", "--public-workers", "2",
                        "--timeout", str(DEADLINE))
    yield live
    stop_server(live)


def _both_public_workers_ready(server) -> None:
    """Until two queries at once, from two addresses, are both answered within a second:
    the public lane's second worker starts after the first, and the test needs both."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        def ask(address: str) -> bool:
            answer = session_from(address).get(server.url + "/sparql", timeout=10, params={
                "query": f"ASK {{ ?s ?p ?o }} # ready {address} {time.time()}"})
            return answer.ok and answer.elapsed.total_seconds() < 1
        with ThreadPoolExecutor(2) as pool:
            if all(pool.map(ask, ("127.0.0.5", "127.0.0.6"))):
                return


def test_a_client_over_its_share_waits_and_another_client_is_served(server):
    _both_public_workers_ready(server)
    greedy = session_from("127.0.0.2")

    def slow(n: int) -> requests.Response:
        return greedy.get(server.url + "/sparql", params={"query": f"{SLOW} # {n}"},
                          timeout=30)

    with ThreadPoolExecutor(3) as pool:
        answers = [pool.submit(slow, n) for n in range(3)]
        time.sleep(0.5)  # the greedy client's first query now holds one public worker
        started = time.monotonic()
        other = session_from("127.0.0.3").get(
            server.url + "/sparql", params={"query": "ASK { ?s a ?class } # fairness"},
            headers={"Accept": "application/sparql-results+json"}, timeout=30)
        waited = time.monotonic() - started
        statuses = sorted(answer.result().status_code for answer in answers)
    assert other.status_code == 200 and other.json()["boolean"] is True, other.text
    assert waited < DEADLINE  # it did not wait for the greedy client's queries to end
    # the greedy client's first query ran to its deadline; the others waited behind it
    # until their own deadline or their place in line ran out
    assert 503 in statuses and set(statuses) <= {429, 503}, statuses


def test_four_parallel_clients_from_one_address_see_no_errors(server):
    """A federated engine or a page sends several queries at once: none is refused."""
    # the workers stopped by the test before are running again
    wait_for_query_workers(server.url, time.monotonic() + 20)
    def client(n: int) -> list[int]:
        session = session_from("127.0.0.4")
        return [session.get(server.url + "/sparql", timeout=30, params={
            "query": f"ASK {{ ?s a ?class }} # parallel {n} {i} {time.time()}"}).status_code
            for i in range(10)]

    with ThreadPoolExecutor(4) as pool:
        statuses = [status for answers in pool.map(client, range(4)) for status in answers]
    assert statuses == [200] * 40, statuses


def test_shares_count_per_client_and_free_on_exit():
    shares = ClientShares(per_client=1, queue=0)
    with shares.share("a"):
        with pytest.raises(Overloaded), shares.share("a"):
            pass
        with shares.share("b"):  # another client is not affected
            pass
    with shares.share("a"):  # free again once the first query ended
        pass


def test_an_extra_query_waits_for_the_clients_earlier_one():
    shares = ClientShares(per_client=1, queue=1)
    order = []
    release = threading.Event()

    def first():
        with shares.share("a"):
            order.append("first runs")
            release.wait(5)
            order.append("first ends")

    thread = threading.Thread(target=first)
    thread.start()
    while not order:
        time.sleep(0.01)
    threading.Timer(0.2, release.set).start()
    with shares.share("a"):  # waits in line, then runs
        order.append("second runs")
    thread.join()
    assert order == ["first runs", "first ends", "second runs"]


def test_the_line_is_bounded_and_the_wait_by_the_deadline():
    shares = ClientShares(per_client=1, queue=1)
    with shares.share("a"):
        results = []

        def wait_in_line():
            try:
                with shares.share("a", wait=0.3):
                    results.append("ran")
            except QueryTimeout as err:
                results.append(str(err))

        waiter = threading.Thread(target=wait_in_line)
        waiter.start()
        time.sleep(0.1)  # now one query runs and one waits: a third is told at once
        started = time.monotonic()
        with pytest.raises(Overloaded, match="waiting"), shares.share("a"):
            pass
        assert time.monotonic() - started < 0.1
        waiter.join()
    assert len(results) == 1 and "deadline" in results[0]


def test_a_larger_share_admits_that_many():
    shares = ClientShares(per_client=2)
    shares.queue = 0
    with shares.share("a"), shares.share("a"), pytest.raises(Overloaded), shares.share("a"):
        pass


def test_no_limit_when_shares_are_off_or_the_client_unknown():
    for shares, client in ((ClientShares(per_client=0), "a"), (ClientShares(1), None)):
        with shares.share(client), shares.share(client):
            pass
