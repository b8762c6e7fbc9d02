"""The front door's own rules: who a client is, and how the application's threads are
shared out among clients (web/clients.py, web/admission.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from flgraph.web.admission import Admission, Busy
from flgraph.web.clients import client_address, client_group, trusted_networks
from flgraph.web.front import FrontDoor

PROXY = trusted_networks(["127.0.0.1", "10.0.0.0/8"])


def test_an_ipv6_client_is_its_64_and_an_ipv4_one_its_address():
    assert client_group("2001:db8:1:2::a") == client_group("2001:db8:1:2:ffff::1") \
        == "2001:db8:1:2::/64"
    assert client_group("2001:db8:1:3::a") == "2001:db8:1:3::/64"
    assert client_group("127.0.0.2") == "127.0.0.2"
    assert client_group("::ffff:192.0.2.7") == "192.0.2.7"


def test_forwarded_for_is_read_only_from_a_trusted_proxy():
    # the rightmost address the trusted proxies did not add is the client; what the
    # client itself wrote further left is ignored
    assert client_address("127.0.0.1", "6.6.6.6, 2001:db8::5, 10.1.1.1", PROXY) \
        == "2001:db8::5"
    assert client_address("192.0.2.9", "2001:db8::5", PROXY) == "192.0.2.9"
    assert client_address("127.0.0.1", None, PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", "not an address", PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", "2001:db8::5", ()) == "127.0.0.1"


def test_a_bad_trusted_proxy_is_named():
    with pytest.raises(ValueError, match="'nonsense'"):
        trusted_networks(["nonsense"])


async def _hold(admission: Admission, client: str, public: bool, log: list, name: str,
                release: asyncio.Event) -> None:
    async with admission.slot(client, public):
        log.append(name)
        await release.wait()


def test_threads_go_to_clients_in_turn_and_site_before_public():
    async def scenario():
        admission = Admission(threads=2, per_client=2, wait=5)
        log: list[str] = []
        release = asyncio.Event()
        first = [asyncio.create_task(_hold(admission, "greedy", True, log, f"g{n}", release))
                 for n in range(1)]
        await asyncio.sleep(0)
        # the public lane keeps one thread for the site: greedy's second query waits
        waiting = [asyncio.create_task(_hold(admission, "greedy", True, log, "g1", release)),
                   asyncio.create_task(_hold(admission, "other", True, log, "o0", release)),
                   asyncio.create_task(_hold(admission, "page", False, log, "p0", release))]
        await asyncio.sleep(0.01)
        assert log == ["g0", "p0"]  # the page took the thread kept for the site
        release.set()
        await asyncio.gather(*first, *waiting)
        return log

    log = asyncio.run(scenario())
    # then greedy's second and the other client's first in their order of arrival,
    # and nobody was refused
    assert log[:2] == ["g0", "p0"] and sorted(log[2:]) == ["g1", "o0"]


def test_clients_take_turns_and_a_client_beyond_its_line_is_told_busy():
    async def scenario():
        admission = Admission(threads=1, per_client=1, queue=2, wait=5)
        release = asyncio.Event()
        log: list[str] = []
        tasks = [asyncio.create_task(_hold(admission, "a", False, log, "a0", release))]
        await asyncio.sleep(0)
        for client, name in (("a", "a1"), ("a", "a2"), ("b", "b0")):
            tasks.append(asyncio.create_task(_hold(admission, client, False, log, name,
                                                   release)))
            await asyncio.sleep(0)
        with pytest.raises(Busy, match="already waiting"):
            await _hold(admission, "a", False, log, "a3", release)
        release.set()
        await asyncio.gather(*tasks)
        return log

    # b's one request is not kept behind a's: a has just held the thread, b has not
    assert asyncio.run(scenario()) == ["a0", "b0", "a1", "a2"]


def test_a_client_whose_requests_held_threads_long_waits_behind_a_quicker_one():
    """Slow queries from one client, then a quick reader arrives last: the thread goes
    to the reader first, though the slow client's next request came before it."""

    async def scenario():
        admission = Admission(threads=1, per_client=1, wait=5)
        log: list[str] = []
        for _ in range(3):  # the slow client's earlier requests, 20 ms each
            async with admission.slot("slow", True):
                await asyncio.sleep(0.02)
        release = asyncio.Event()
        tasks = [asyncio.create_task(_hold(admission, "slow", True, log, "s0", release))]
        await asyncio.sleep(0)
        for client, name in (("slow", "s1"), ("quick", "q0")):  # in this order
            tasks.append(asyncio.create_task(_hold(admission, client, True, log, name,
                                                   release)))
            await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*tasks)
        return log, admission.cost("slow"), admission.cost("quick")

    log, slow, quick = asyncio.run(scenario())
    assert log == ["s0", "q0", "s1"]
    assert slow >= 0.01 > quick > 0  # s0 was held while q0 and s1 arrived: 3 × 20 ms + it


def test_a_request_waits_no_longer_than_its_limit():
    async def scenario():
        admission = Admission(threads=1, per_client=1, wait=0.05)
        release = asyncio.Event()
        running = asyncio.create_task(_hold(admission, "a", False, [], "a0", release))
        await asyncio.sleep(0)
        with pytest.raises(Busy, match="waited"):
            await _hold(admission, "b", False, [], "b0", release)
        release.set()
        await running
        return admission.free, dict(admission.running), admission.waiting

    free, running, waiting = asyncio.run(scenario())
    assert free == 1 and running == {} and all(not q for q in waiting.values())


@pytest.mark.slow  # starts a server
def test_web_processes_end_with_the_server_even_on_kill_9(dataset_file):
    """A kill -9 of `flgraph serve` leaves no web process serving on, nor query workers."""
    import signal

    import psutil

    from tests.conftest import start_server

    live = start_server("--data", str(dataset_file))
    main = psutil.Process(live.process.pid)
    children = main.children(recursive=True)
    assert len(children) >= 2  # the web processes and their query workers
    live.process.send_signal(signal.SIGKILL)
    live.process.wait(10)
    _gone, alive = psutil.wait_procs(children, timeout=15)
    assert alive == [], [" ".join(p.cmdline()[:4]) for p in alive]


class _Proto:
    """What granian hands an RSGI app, as far as a short answer needs."""

    def __init__(self) -> None:
        self.statuses: list[int] = []

    def response_bytes(self, status: int, headers: list, body: bytes) -> None:
        self.statuses.append(status)


def _request(path: str) -> SimpleNamespace:
    return SimpleNamespace(proto="http", http_version="1.1", method="GET", path=path,
                           query_string="", scheme="http", server="127.0.0.1:8000",
                           client="127.0.0.1:40000", headers={"host": "127.0.0.1:8000"})


def test_the_front_door_tells_once_that_its_first_request_is_answered():
    """What the pages' warm-up waits for (web/warm.py): told after the answer is
    handed over, and only once."""
    told: list[list[int]] = []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    async def scenario():
        proto = _Proto()
        door = FrontDoor(app, threads=2, served=lambda: told.append(list(proto.statuses)))
        await door.__rsgi__(_request("/health"), proto)
        await door.__rsgi__(_request("/health"), proto)
        return proto.statuses

    assert asyncio.run(scenario()) == [200, 200]
    assert told == [[200]]  # once, after the first answer was handed over
