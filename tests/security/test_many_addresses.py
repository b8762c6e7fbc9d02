"""Many attacking addresses cannot starve the site: costly /sparql queries sent back to
back from 64 loopback addresses (or one IPv6 /64 behind a trusted proxy) take the public
lane, and only it: ``/health``, a cached page and a new saved-query page keep answering,
every one of them. (Their latencies under attack against without: bench/load_test.py.)"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from testbed.loopback import session_from
from testbed.slow_clients import address

from tests.conftest import start_server, stop_server

from .test_costs import EXPENSIVE

COSTLY = EXPENSIVE["cartesian product"]
ATTACKERS = 64
SECONDS = 6.0  # of attack
PROMPT = 3.0  # a normal request not answered within this has failed
PAGE = "/queries/countries-by-result-typology"


@pytest.fixture(scope="module")
def server(dataset_file, security_home):
    live = start_server("--data", str(dataset_file), "--timeout", "2",
                        "--trusted-proxy", "127.0.0.1", env={"FLGRAPH_HOME": str(security_home)})
    yield live
    stop_server(live)


def _attack(url: str, session: requests.Session, until: float, n: int,
            headers: dict | None = None) -> list[int]:
    statuses = []
    while time.monotonic() < until:
        try:
            statuses.append(session.get(url + "/sparql", timeout=30, headers=headers, params={
                "query": f"{COSTLY} # {n} {time.time()}"}).status_code)
        except requests.RequestException:
            statuses.append(0)
    return statuses


def _normal_visits(url: str, until: float) -> list[tuple[str, int, float]]:
    """A visitor from 127.0.0.1: /health, a cached page, a page new to the cache."""
    visits, n = [], 0
    while time.monotonic() < until:
        n += 1
        for path, params in (("/health", None), (PAGE, None),
                             ("/queries/indicator-by-notation.csv",
                              {"notation": "15.1", "page": n})):
            started = time.monotonic()
            try:
                status = requests.get(url + path, params=params, timeout=PROMPT).status_code
            except requests.RequestException:
                status = 0
            visits.append((path, status, time.monotonic() - started))
    return visits


def _run(server, attackers) -> tuple[list, list]:
    for _ in range(6):  # in the cache of both web processes
        requests.get(server.url + PAGE, timeout=30, headers={"Connection": "close"})
    until = time.monotonic() + SECONDS
    with ThreadPoolExecutor(len(attackers)) as pool:
        attacks = [pool.submit(attack, until) for attack in attackers]
        time.sleep(1.0)  # the attack is under way
        visits = _normal_visits(server.url, until)
        statuses = [status for attack in attacks for status in attack.result()]
    return visits, statuses


def test_costly_queries_from_64_addresses_leave_the_pages_answering(server):
    attackers = [lambda until, n=n: _attack(server.url, session_from(address(n)), until, n)
                 for n in range(ATTACKERS)]
    visits, statuses = _run(server, attackers)
    failed = [(path, status) for path, status, _ in visits if status != 200]
    assert visits and not failed, failed
    # the attackers were answered too, within their deadline or told to wait
    assert statuses and set(statuses) <= {200, 429, 503}, set(statuses)


def test_an_attack_from_an_ipv6_64_through_a_trusted_proxy_leaves_the_pages_answering(
        server):
    """The proxy passes 32 addresses of one /64 on (web/clients.py counts them as one
    client: tests/web/test_front_door.py)."""
    def from_the_64(n: int):
        headers = {"X-Forwarded-For": f"2001:db8:1:2::{n + 1:x}"}
        return lambda until: _attack(server.url, requests.Session(), until, n, headers)

    visits, statuses = _run(server, [from_the_64(n) for n in range(32)])
    failed = [(path, status) for path, status, _ in visits if status != 200]
    assert visits and not failed, failed
    assert statuses and set(statuses) <= {200, 429, 503}, set(statuses)
