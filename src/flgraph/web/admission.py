"""Fair shares of a web process's application threads, decided on the event loop.

A request that finds no thread it may use waits here, on the loop, where waiting costs
nothing — not in a thread, as it would behind a WSGI server's own queue — and threads
are handed out again in this order:

- the site's own requests (pages, ``/health``, downloads) before queries typed at
  ``/sparql``, which may never hold more than all threads but one: the public lane
  degrades first, and the pages keep a thread whatever the endpoint's load;
- within each lane, to the waiting client whose requests lately held a thread least
  long on average (thread-seconds per request, both halved every ``USAGE_HALF_LIFE``
  seconds; a new client first; ties in order of arrival): the shortest work first, so a
  client sending slow queries waits behind readers whose requests are quick however
  many requests each sends (bench/load_test.py: in arrival order the readers' /sparql
  queries waited behind the attackers' and got 503; by total thread-seconds a busy
  reader weighed as much as an attacker), and a client never holds more than
  ``per_client`` threads at once;
- of the /sparql places, one is kept for *known readers*: clients seen lately (two
  requests or more) whose requests held a thread ``CHEAP_SECONDS`` or less on average.
  Others (new clients, slow ones) may hold all the places but that one, so a reader's
  query never waits behind a wave of costly ones (bench/load_test.py: from 256 attacking
  addresses each was a new client, went first, and filled every place; readers' queries
  waited their 5 s and got 503);
- a client's own requests in their order of arrival, at most ``queue`` of them waiting
  (past that the client is told 429 with ``Retry-After``) and each for at most ``wait``
  seconds, a query's deadline for /sparql (then 503, as a query past its deadline).

Clients are grouped as web/clients.py says (an IPv6 /64 is one client). Single-threaded
by design: every method runs on the web process's event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, OrderedDict, deque

LANES = ("site", "public")
USAGE_HALF_LIFE = 10.0  # seconds: how quickly a client's past use of threads is forgiven
MIN_CHARGE = 0.001  # seconds a request is charged at least (its turn itself)
TRACKED = 10_000  # clients whose use is remembered; past it the least are forgotten
CHEAP_SECONDS = 0.1  # thread-seconds per request of a known reader, at most
KNOWN_REQUESTS = 2.0  # requests lately (halved as the use is) that make a client known


class Busy(Exception):
    """A request not admitted: ``status`` 429 when the client has as many requests
    waiting as it may, 503 when it waited as long as it may; a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class Admission:
    """``wait`` bounds a site request's wait, ``public_wait`` a /sparql query's (its
    deadline: a query that waited that long would be stopped anyway). ``public_threads``:
    at most this many /sparql requests at once (the web process's share of the public
    workers), so that they wait here, in the order above, and not in the engine's queue
    of connections, first come first served (bench/load_test.py: there the normal
    clients' queries waited behind the attackers' and got 429)."""

    def __init__(self, threads: int, per_client: int, queue: int = 8,
                 wait: float = 10.0, public_wait: float = 5.0,
                 public_threads: int | None = None) -> None:
        self.free = threads
        self.public_cap = max(1, min(threads - 1, public_threads or threads))
        self.per_client = max(1, per_client)
        self.queue = queue
        self.wait = wait
        self.public_wait = public_wait
        self.public_running = 0
        self.running: Counter[str | None] = Counter()
        self.waiting: dict[str, OrderedDict[str | None, deque[asyncio.Future]]] = {
            lane: OrderedDict() for lane in LANES}
        # thread-seconds, requests, as of when
        self.usage: dict[str | None, tuple[float, float, float]] = {}

    def slot(self, client: str | None, public: bool) -> Slot:
        """Hold one application thread for ``client`` for the ``async with`` block."""
        return Slot(self, client, public)

    def served(self, client: str | None) -> None:
        """Count a request answered without a thread (from the response cache, on the
        event loop): a quick one, as a known reader's are."""
        self._charge(client, 0.0)

    def used(self, client: str | None, now: float | None = None) -> tuple[float, float]:
        """The client's thread-seconds and requests lately (halved every
        ``USAGE_HALF_LIFE``)."""
        seconds, requests, stamp = self.usage.get(client, (0.0, 0.0, 0.0))
        now = _now() if now is None else now
        kept = 0.5 ** ((now - stamp) / USAGE_HALF_LIFE)
        return seconds * kept, requests * kept

    def cost(self, client: str | None, now: float | None = None) -> float:
        """Thread-seconds per request lately: 0 for a client not seen lately."""
        seconds, requests = self.used(client, now)
        return seconds / requests if requests else 0.0

    def _charge(self, client: str | None, seconds: float) -> None:
        now = _now()
        held, requests = self.used(client, now)
        self.usage[client] = (held + max(seconds, MIN_CHARGE), requests + 1, now)
        if len(self.usage) > TRACKED:  # many addresses: keep the costliest
            costliest = sorted(self.usage, key=lambda c: self.cost(c, now))[TRACKED // 2:]
            self.usage = {c: self.usage[c] for c in costliest}

    def known_reader(self, client: str | None, now: float | None = None) -> bool:
        """Whether the client was seen lately and its requests were quick."""
        seconds, requests = self.used(client, now)
        return requests >= KNOWN_REQUESTS and seconds <= CHEAP_SECONDS * requests

    def _may_run(self, client: str | None, public: bool) -> bool:
        if self.free <= 0 or self.running[client] >= self.per_client:
            return False
        if not public:
            return True
        if self.public_running >= self.public_cap:
            return False
        # the last place is kept for known readers (when there are two or more)
        return (self.public_running + 1 < self.public_cap or self.public_cap == 1
                or self.known_reader(client))

    def _start(self, client: str | None, public: bool) -> None:
        self.free -= 1
        self.running[client] += 1
        self.public_running += public

    async def _enter(self, client: str | None, public: bool) -> None:
        if self._may_run(client, public):
            self._start(client, public)
            return
        queues = self.waiting["public" if public else "site"]
        line = queues.setdefault(client, deque())
        if len(line) >= self.queue:
            if not line:
                del queues[client]
            raise Busy(429, f"Too many queries: {self.queue} of your requests are already "
                            "waiting; try again when they are answered")
        wait = self.public_wait if public else self.wait
        turn = asyncio.get_running_loop().create_future()
        line.append(turn)
        try:
            done, _ = await asyncio.wait({turn}, timeout=wait)
        except asyncio.CancelledError:  # the request went away while it waited
            self._forget(client, public, turn)
            raise
        if turn in done:
            return  # started by _dispatch, which counted it
        self._forget(client, public, turn)
        raise Busy(503, f"{'Query timed out' if public else 'Busy'}: your request waited "
                        f"{wait:g} s for its turn behind your earlier ones; try again "
                        "shortly")

    def _forget(self, client: str | None, public: bool, turn: asyncio.Future) -> None:
        """A waiting request gives up its place (or its thread, if it was just given one)."""
        if turn.done() and not turn.cancelled():
            self._leave(client, public)
            return
        turn.cancel()
        queues = self.waiting["public" if public else "site"]
        line = queues.get(client)
        if line is not None and turn in line:
            line.remove(turn)
            if not line:
                del queues[client]

    def _leave(self, client: str | None, public: bool) -> None:
        self.free += 1
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
        self.public_running -= public
        self._dispatch()

    def _dispatch(self) -> None:
        """Start waiting requests while threads are free: site before public, the
        client whose requests lately were quickest first."""
        for lane in LANES:
            public = lane == "public"
            queues = self.waiting[lane]
            while self.free > 0:
                now = _now()
                ready = [client for client in queues if self._may_run(client, public)]
                if not ready:
                    break
                client = min(ready, key=lambda c: self.cost(c, now))  # first if tied
                line = queues.pop(client)
                self._start(client, public)
                line.popleft().set_result(None)
                if line:
                    queues[client] = line  # behind the others who wait
            if self.free == 0:
                return


class Slot:
    """One application thread held for a request (``Admission.slot``): a plain async
    context manager, asked for on every request (a generator-based one costs more)."""

    __slots__ = ("admission", "client", "public", "started")

    def __init__(self, admission: Admission, client: str | None, public: bool) -> None:
        self.admission, self.client, self.public = admission, client, public
        self.started = 0.0

    async def __aenter__(self) -> None:
        await self.admission._enter(self.client, self.public)
        self.started = _now()

    async def __aexit__(self, *exc) -> None:
        admission = self.admission
        admission._charge(self.client, _now() - self.started)
        admission._leave(self.client, self.public)


def _now() -> float:
    return time.monotonic()
