"""Readers keep their way through the public lane while costly queries fill it: the last
/sparql place of a web process is kept for clients known to send quick requests, and a
query the response cache answers does not wait for a place at all: the front door sends
it from the cache, or (a conditional request) runs it in the site's lane
(web/admission.py, web/front.py, web/cache.py). The front door is driven here as
granian drives it (its RSGI interface), with an application whose slow answers the test
holds and releases, so that the lane is full exactly when the reader asks."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

from flgraph.web.admission import Admission
from flgraph.web.cache import Entry, ResponseCache
from flgraph.web.front import FrontDoor, cache_key

PATIENCE = 2.0  # seconds a request let through may take (it takes milliseconds)


class Held:
    """A WSGI application: a query string with ``slow`` waits until released; one with
    ``cached`` is answered as the response cache answers (``X-Flgraph-Cache``)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.running = 0
        self.lock = threading.Lock()
        self.asked: list[str] = []

    def __call__(self, environ, start_response):
        query = environ["QUERY_STRING"]
        self.asked.append(query)
        if "slow" in query:
            with self.lock:
                self.running += 1
            self.release.wait(30)
        headers = [("Content-Type", "text/plain"), ("Content-Length", "2")]
        if "cached" in query:
            headers.append(("X-Flgraph-Cache", "hit"))
        start_response("200 OK", headers)
        return [b"ok"]


class Proto:
    """The RSGI protocol object of one request: what the front door answers."""

    def __init__(self) -> None:
        self.answered = asyncio.get_running_loop().create_future()

    def response_bytes(self, status: int, headers: list, body: bytes) -> None:
        self.answered.set_result(status)


def _scope(client: str, query: str, **headers: str) -> SimpleNamespace:
    return SimpleNamespace(proto="http", http_version="1.1", method="GET", path="/sparql",
                           query_string=query, scheme="http", server="127.0.0.1:8000",
                           client=f"{client}:40000",
                           headers={"host": "127.0.0.1:8000", **headers})


async def _ask(door: FrontDoor, client: str, query: str, **headers: str) -> int:
    proto = Proto()
    await door.__rsgi__(_scope(client, query, **headers), proto)
    return proto.answered.result()


def test_a_query_answered_from_the_cache_passes_a_full_public_lane():
    async def scenario():
        app, cache = Held(), ResponseCache()
        door = FrontDoor(app, threads=4, public_threads=3, query_seconds=5, cache=cache,
                         version=lambda: "v1")
        cache.put(cache_key(_scope("127.0.1.1", "query=cached"), b""),
                  Entry(200, (), b"ok", False, '"ok"', version="v1"))
        assert await _ask(door, "127.0.1.1", "query=cached") == 200  # sent by the app
        slow = [asyncio.create_task(_ask(door, f"127.0.4.{n}", f"query=slow{n}"))
                for n in range(1, 4)]
        while app.running < 2:  # the costly queries hold the places they may
            await asyncio.sleep(0.01)
        assert door.admission.public_running == 2
        try:
            async with asyncio.timeout(PATIENCE):
                # from the cache, on the event loop: the app is not asked again
                assert await _ask(door, "127.0.1.1", "query=cached") == 200
                assert app.asked.count("query=cached") == 1
                # a conditional request goes to the app, in the site's lane
                assert await _ask(door, "127.0.1.1", "query=cached",
                                  **{"if-none-match": '"old"'}) == 200
                assert app.asked.count("query=cached") == 2
        finally:
            app.release.set()
        assert await asyncio.gather(*slow) == [200, 200, 200]

    asyncio.run(scenario())


def test_the_last_public_place_is_kept_for_a_known_reader():
    async def scenario():
        admission = Admission(threads=4, per_client=2, public_wait=5, public_threads=3)
        for _ in range(3):  # a reader seen lately, its requests quick
            async with admission.slot("reader", False):
                pass
        release, started = asyncio.Event(), []

        async def costly(client: str) -> None:
            async with admission.slot(client, True):
                started.append(client)
                await release.wait()

        tasks = [asyncio.create_task(costly(f"new {n}")) for n in range(3)]
        await asyncio.sleep(0.05)
        assert started == ["new 0", "new 1"]  # the third new client waits
        async with asyncio.timeout(PATIENCE), admission.slot("reader", True):
            started.append("reader")  # the reader did not wait
        assert "new 2" not in started  # the kept place is not given to a new client
        release.set()
        await asyncio.gather(*tasks)
        assert started[-1] == "new 2"

    asyncio.run(scenario())


def test_a_single_place_is_not_kept():
    async def scenario():
        admission = Admission(threads=2, per_client=1, public_wait=5, public_threads=1)
        async with asyncio.timeout(PATIENCE), admission.slot("new", True):
            assert admission.public_running == 1

    asyncio.run(scenario())
