"""One client cannot hold the public lane: /sparql queries are shared out per client
address, so a client sending slow queries back to back is told 429 for its extra ones
while another client's query meets a free worker."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from flgraph.service import ClientShares, Overloaded
from tests.conftest import start_server, stop_server
from tests.helpers import session_from

from .test_costs import EXPENSIVE

SLOW = EXPENSIVE["cartesian product"]
DEADLINE = 2.0  # the server's --timeout


@pytest.fixture(scope="module")
def server(dataset_file):
    live = start_server("--data", str(dataset_file), "--workers", "1", "--public-workers", "2",
                        "--timeout", str(DEADLINE))
    yield live
    stop_server(live)


def test_a_client_over_its_share_gets_429_and_another_client_is_served(server):
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
    assert other.status_code == 200 and other.json()["boolean"] is True
    assert waited < DEADLINE  # it did not wait for the greedy client's queries to end
    # one of the greedy client's queries ran to its deadline; its others were told at
    # once to come back
    assert statuses.count(503) >= 1 and 429 in statuses, statuses


def test_shares_count_per_client_and_free_on_exit():
    shares = ClientShares(per_client=1)
    with shares.share("a"):
        with pytest.raises(Overloaded), shares.share("a"):
            pass
        with shares.share("b"):  # another client is not affected
            pass
    with shares.share("a"):  # free again once the first query ended
        pass


def test_a_larger_share_admits_that_many():
    shares = ClientShares(per_client=2)
    with shares.share("a"), shares.share("a"), pytest.raises(Overloaded), shares.share("a"):
        pass


def test_no_limit_when_shares_are_off_or_the_client_unknown():
    for shares, client in ((ClientShares(per_client=0), "a"), (ClientShares(1), None)):
        with shares.share(client), shares.share(client):
            pass
