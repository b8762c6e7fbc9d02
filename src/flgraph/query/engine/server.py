"""The engine process: one version of the data at a time, loaded once for the machine.

``flgraph serve`` starts it before the HTTP server and waits for its first line. It is
a *supervisor* that holds no data; each version of the data is a *generation*: a
process forked from the supervisor that loads the snapshot (``snapshot.py``) and forks
every query worker from itself, so the workers share one copy of the store
(copy-on-write) instead of loading one each (8 workers held 1,523 MB PSS at 200k
triples), and a worker killed at its deadline is replaced by a fork in milliseconds.

A generation fills its store with pyoxigraph's bulk loader from the file's bytes
(snapshot.py), builds rdflib's SPARQL grammar (while it loads; at the server's start,
after its report, see ``Lane.early``), freezes its Python objects (``gc.freeze``: a
worker's collections then leave their pages shared) and forks. Reading
the store still writes to it (reference counts), so a worker that holds more than its
share alone is replaced: after a long query by its own check (worker.py), and within a
second of any query by the generation's look at the workers that worked (``_Sweep``);
and a worker that has gone idle holding more than a fresh fork is replaced too, so that
the engine at rest holds the store once and a few MB per worker.

Lanes are Unix sockets in the engine's directory (``site.sock``, ``public.sock``).
Reload (``SIGHUP``, or a changed data file with ``watch``): a new generation loads the
file in full and forks its workers on sockets of its own; only then are its sockets
renamed over the lanes' (one atomic rename each) and ``current.json`` replaced, and the
old generation told to leave (its workers finish the query in hand). A file that does
not load is refused in one line on stderr and the old generation keeps serving.

At start a file that does not load is one JSON line ``{"error": …}`` on stdout and exit
code 2; otherwise ``{"ready": …}``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import select
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WATCH_INTERVAL = 1.0  # seconds between looks at the data file with ``watch``
SWEEP_INTERVAL = 1.0  # seconds between looks at the memory of the workers that worked
IDLE_SECONDS = 10.0  # a worker idle this long since its last query is looked at once more
IDLE_PRIVATE = 4 * 1024**2  # ... and replaced if it holds more than this alone (a fresh
# fork holds 2.1-2.6 MB alone, at every size of the data)
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Lane:
    """A lane's socket and its workers. ``early``: at the server's start, its workers are
    forked before rdflib's grammar is built (the endpoint's lane: most of its queries are
    checked from their tokens, ``gateway.lexed_shape``), then replaced by forks that
    have it, once it is built."""

    name: str
    size: int
    nice: int = 0
    early: bool = False


@dataclass
class Generation:
    pid: int
    status: int  # read end of the pipe the generation reports on
    sockets: dict[str, Path]


def die_with_parent(signum: int) -> None:
    """Ask Linux to send ``signum`` when the parent process ends (no orphans)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)


# --- a generation: load, fork the workers, keep them --------------------------------------


def _generation_main(data: Path, directory: Path, lanes: list[Lane], serial: int,
                     report: int, memory_bytes: int | None) -> None:
    """Load the snapshot, fork the lanes' workers, report, then replace dead workers."""
    from .snapshot import SnapshotError, load_snapshot

    die_with_parent(signal.SIGTERM)
    signal.set_wakeup_fd(-1)  # the supervisor's, inherited
    for signum in (signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # told to leave while loading (the supervisor stopping, or a newer generation): the
    # exception ends this process (``start_generation``), and its workers with it
    signal.signal(signal.SIGTERM, _stop)
    # The server's start waits for the first generation's report: it reports once its
    # early lanes (Lane.early) can answer, and builds the grammar afterwards. A reload
    # builds it while the store loads, so that the new version's every lane is served
    # in full from the moment its sockets replace the old ones.
    starting = serial == 1
    parser = None
    if not starting:
        parser = threading.Thread(target=_warm_parser, name="warm-parser")
        parser.start()  # while the bulk loader works without the GIL
    try:
        snapshot, store = load_snapshot(data, directory)
    except SnapshotError as err:
        _report(report, {"error": str(err)})
        return
    finally:
        if parser is not None:
            parser.join()  # no thread may be running at a fork
    from .resources import private_limit, return_freed_memory, worker_memory

    stop = _StopFlag()  # loaded: from here a stop is noted, and read where we can leave
    _import_worker_modules()
    _warm(store)
    return_freed_memory()
    total = sum(lane.size for lane in lanes)
    memory = memory_bytes or worker_memory(total)
    private = private_limit(total)
    try:
        listeners = {lane.name: _listen(directory / f"{lane.name}-{snapshot.version}-{serial}.sock")
                     for lane in lanes}
    except OSError as err:  # e.g. a TMPDIR so deep that a socket's path is too long
        _report(report, {"error": f"the engine cannot listen in {directory}: {err}"})
        return
    wake = _wake_on_child_exit()
    _freeze_objects()
    workers = {}

    def fork(chosen: list[Lane]) -> None:
        for lane in chosen:
            for _ in range(lane.size):
                workers[_fork_worker(listeners[lane.name], store, lane, memory,
                                     private)] = lane

    if stop.requested:
        return
    fork([lane for lane in lanes if lane.early or not starting])
    _report(report, {"version": snapshot.version, "data": str(snapshot.path),
                     "quads": snapshot.quads, "graphs": store.graph_names(),
                     "worker_memory": memory,
                     "worker_private": private,
                     "sockets": {name: s.getsockname() for name, s in listeners.items()}})
    sweep = _Sweep(private)
    if starting:
        early = set(workers)
        _warm_parser()
        _freeze_objects()
        if not stop.requested:
            fork([lane for lane in lanes if not lane.early])
        sweep.replace(early)
    while not stop.requested:
        _wait(wake, SWEEP_INTERVAL)
        if stop.requested:
            break
        for pid in _ended_children():
            lane = workers.pop(pid, None)
            if lane is not None:
                workers[_fork_worker(listeners[lane.name], store, lane, memory,
                                     private)] = lane
        sweep.run(workers)
    for listener in listeners.values():
        listener.close()
    for pid in workers:  # they leave once idle (worker._retire)
        _signal(pid, signal.SIGTERM)
    for pid in workers:
        _reap(pid)


def _warm_parser() -> None:
    """Build rdflib's SPARQL grammar, which the gateway checks every query that is not
    plain with (the site's own queries among them): 0.2–0.25 s, once per generation, before
    the workers that need it fork, so that none of them pays it (the first such query of
    a fresh worker took 200 ms, and every respawned worker paid it again). At the server's
    start only the site's lane waits for it: the endpoint's lane is forked before it and
    replaced once it is built (its first queries, plain, need none), which took 0.25 s
    of CPU off the way to the first answer."""
    from ...sparqltext.lexer import compile_whole_grammar
    from ..gateway import query_shape

    with contextlib.suppress(Exception):  # a warm-up never stops the engine
        query_shape("SELECT * WHERE { ?s ?p ?o } LIMIT 1 # warm")
    compile_whole_grammar()  # a query's text beyond ASCII


def _import_worker_modules() -> None:
    """What a worker imports as it starts (worker.serve_lane), imported once here."""
    from .. import allocator, pool, sandbox  # noqa: F401
    from . import resources, worker  # noqa: F401


def _warm(store) -> None:
    """Run one plain query on the store (the token check, the engine, the answer's
    conversion), so that workers forked afterwards start with it done."""
    from ...config import Limits
    from ..pool import _answer, _Job
    from ..service import QueryRequest

    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    _answer(store, _Job(QueryRequest(text), 1, 1.0, frozenset()), Limits())


def _freeze_objects() -> None:
    """Move every Python object of the generation out of the cyclic collector's sight
    before the workers fork: a collection in a worker otherwise walks (and writes to the
    header of) every object the generation made — the modules, the grammar — and so
    copies their pages into each worker."""
    gc.collect()
    gc.freeze()


class _Stopped(BaseException):
    """The generation was told to leave (SIGTERM) while it loads the data. Not an
    ``Exception``: raised wherever the loading is, it must get past any ``except
    Exception`` on the way."""


def _stop(_signum, _frame) -> None:
    raise _Stopped


class _StopFlag:
    """SIGTERM once the data is loaded: noted, and read where the generation can leave
    cleanly (before its report, after the grammar's build, at each turn of its loop;
    ``_wait`` wakes for it). Raised as an exception by the handler, a stop lands
    wherever the code is: inside a library's ``except``, a finalizer the garbage
    collector runs or the interpreter's fork handlers, where Python prints and drops it —
    and a server stopped just after its start left its engine running, the supervisor
    waiting for a generation that had not heard."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self._note)

    def _note(self, _signum, _frame) -> None:
        self.requested = True


def _wake_on_child_exit() -> int:
    """A pipe's read end that gets a byte whenever a worker ends (SIGCHLD), or a signal
    comes."""
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write)
    signal.signal(signal.SIGCHLD, lambda _s, _f: None)
    return read


def _wait(wake: int, seconds: float) -> None:
    """Until a worker ends, a signal comes, or ``seconds`` have passed."""
    readable, _, _ = select.select([wake], [], [], seconds)
    if readable:
        with contextlib.suppress(BlockingIOError):
            os.read(wake, 512)


def _ended_children() -> list[int]:
    """The process ids of the workers that ended, reaped."""
    ended = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append(pid)


class _Sweep:
    """Tells a worker to leave once it holds more than ``limit`` bytes alone: looked at
    every ``SWEEP_INTERVAL`` if it used the CPU since the last look (an idle worker's
    memory does not change; reading a worker's own memory walks its page tables, 1.3 ms
    with the report's data). A worker checks itself only after a query of 50 ms of CPU
    or more, and quick queries that visit much of the store copy its pages too: at 200k
    triples workers were found holding 26-34 MB each after small queries. A worker told
    to leave finishes the query in hand (worker._retire) and is replaced
    by a fresh fork, sharing every page again.

    A worker that has stayed idle ``IDLE_SECONDS`` since it last worked is looked at once
    more, against ``idle_limit`` (about twice what a fresh fork holds): what it kept of
    its queries (the pages of the store they wrote to, its allocator's leftovers, the
    parses it cached) is of no use to a worker that waits, and ten workers each under
    ``limit`` held 35-60 MB alone beside a store of 86 MB at 200k triples, more than the
    engine's target allows (1.5× one store). Replaced then, while no query waits for it,
    the engine at rest holds the store once and a fresh fork's few MB per worker. Not
    sooner: a fresh fork's queries copy again the pages they write, and with 2 s the
    workers of a server asked every few seconds were replaced after almost every query
    (32 forks in 12 s of the engine's tests' load, against 5). One idle worker of a lane
    at a time: forking a worker of a large store takes milliseconds (its page tables),
    and the lane's others stay there meanwhile.

    Workers forked before the generation had all it shares (``Lane.early``) are replaced
    the same way, one of a lane at a time, whatever they hold: told at once, every
    worker of the lane left within the same moment, and a query sent meanwhile found
    none to take it (429)."""

    def __init__(self, limit: int, idle_limit: int = IDLE_PRIVATE) -> None:
        self.limit = limit
        self.idle_limit = idle_limit
        self._cpu: dict[int, tuple[float, float]] = {}  # pid -> (CPU time, when it changed)
        self._rested: set[int] = set()  # idle workers looked at since they last worked
        self._told: set[int] = set()
        self._stale: set[int] = set()  # workers to replace in any case

    def replace(self, pids: set[int]) -> None:
        """Replace these workers, one of a lane at a time."""
        self._stale |= pids

    def run(self, workers: dict[int, Lane]) -> None:
        from .resources import cpu_seconds, held_alone

        for pid in [p for p in self._cpu if p not in workers]:
            del self._cpu[pid]
        self._told &= workers.keys()
        self._rested &= workers.keys()
        self._stale &= workers.keys()
        now = time.monotonic()
        replacing = {workers[pid].name for pid in self._told}  # lanes a worker leaves
        for pid, lane in workers.items():
            if pid in self._told:
                continue
            if pid in self._stale:
                if lane.name not in replacing:
                    self._tell(pid, lane, replacing)
                continue
            try:
                cpu = cpu_seconds(pid)
                seen, since = self._cpu.get(pid, (None, now))
                if cpu != seen:
                    self._cpu[pid] = (cpu, now)
                    self._rested.discard(pid)
                    limit = self.limit
                elif (pid not in self._rested and now - since >= IDLE_SECONDS
                      and lane.name not in replacing):  # one idle worker a lane at a time
                    self._rested.add(pid)
                    limit = self.idle_limit
                else:
                    continue
                if held_alone(pid) > limit:
                    self._tell(pid, lane, replacing)
            except OSError:  # it ended meanwhile
                continue

    def _tell(self, pid: int, lane: Lane, replacing: set[str]) -> None:
        """Tell a worker to leave (it finishes the query in hand); the generation forks
        its replacement once it has."""
        _signal(pid, signal.SIGTERM)
        self._told.add(pid)
        self._stale.discard(pid)
        replacing.add(lane.name)


def _listen(path: Path) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(128)
    return listener


def _fork_worker(listener: socket.socket, store, lane: Lane, memory: int, private: int) -> int:
    """Fork a worker of ``lane``; its process id. SIGTERM is held back across the fork,
    so that the worker never runs the generation's handler (``_StopFlag``): it takes
    the default one before it lets SIGTERM in."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a SIGTERM held back is noted
        return pid
    try:
        die_with_parent(signal.SIGKILL)
        signal.set_wakeup_fd(-1)  # the generation's
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        from .worker import serve_lane

        serve_lane(listener, store, lane.nice, memory, private)
    finally:
        os._exit(0)


def _report(fd: int, message: dict) -> None:
    os.write(fd, (json.dumps(message) + "\n").encode())
    os.close(fd)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# --- the supervisor -----------------------------------------------------------------------


class Supervisor:
    def __init__(self, data: Path, directory: Path, lanes: list[Lane], watch: bool,
                 memory_bytes: int | None) -> None:
        self.data, self.directory, self.lanes = data, directory, lanes
        self.watch, self.memory_bytes = watch, memory_bytes
        self.current: Generation | None = None
        self.retired: list[int] = []
        self._serial = 0
        self._seen = self._file_state()

    def start_generation(self) -> dict:
        """Fork a generation and wait for its report: its description, or an error."""
        self._serial += 1
        read, write = os.pipe()
        gc.freeze()  # the generation's collections leave the supervisor's objects alone
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                _generation_main(self.data, self.directory, self.lanes, self._serial, write,
                                 self.memory_bytes)
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as status:
            line = status.readline()
        report = json.loads(line) if line else {"error": f"{self.data}: the engine could not "
                                                "load it (the loading process died)"}
        if "error" in report:
            _reap(pid)
            return report
        previous = self.current
        self.current = Generation(pid, -1, {k: Path(v) for k, v in report["sockets"].items()})
        for name, path in self.current.sockets.items():
            os.replace(path, self.directory / f"{name}.sock")  # the swap, lane by lane
        _write_json(self.directory / "current.json", {
            "version": report["version"], "data": report["data"], "quads": report["quads"],
            "graphs": report["graphs"]})
        if previous is not None:
            _signal(previous.pid, signal.SIGTERM)
            self.retired.append(previous.pid)
        return report

    def run(self) -> None:
        """Wait for signals: SIGHUP reloads, SIGTERM/SIGINT end; reap what ended."""
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        pending: list[int] = []
        for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(signum, lambda s, _f: pending.append(s))
        while True:
            readable, _, _ = select.select([wake_read], [], [], WATCH_INTERVAL)
            if readable:
                os.read(wake_read, 512)
            signals, pending[:] = list(pending), []
            if signal.SIGTERM in signals or signal.SIGINT in signals:
                return self.stop()
            self._reap_retired()
            if self.current and _ended(self.current.pid):
                _log("the engine's generation ended; starting it again")
                self.current = None
                self._reload()
            elif signal.SIGHUP in signals or (self.watch and self._changed()):
                self._reload()

    def _reload(self) -> None:
        self._seen = self._file_state()
        report = self.start_generation()
        if "error" in report:
            _log(f"reload refused, the previous data keeps serving: {report['error']}")
        else:
            _log(f"reloaded {self.data}: version {report['version']}, {report['quads']} quads")

    def _changed(self) -> bool:
        return self._file_state() != self._seen

    def _file_state(self) -> tuple | None:
        try:
            stat = self.data.stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_size, stat.st_mtime_ns

    def _reap_retired(self) -> None:
        self.retired = [pid for pid in self.retired if not _ended(pid)]

    def stop(self) -> None:
        if self.current:
            _signal(self.current.pid, signal.SIGTERM)
            _reap(self.current.pid)
        for pid in self.retired:
            _reap(pid)


def _ended(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def _write_json(path: Path, value: dict) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value))
    os.replace(partial, path)


def _log(message: str) -> None:
    print(f"flgraph engine: {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    die_with_parent(signal.SIGTERM)
    supervisor = Supervisor(Path(config["data"]), Path(config["dir"]),
                            [Lane(**lane) for lane in config["lanes"]], config["watch"],
                            config.get("memory_bytes"))
    report = supervisor.start_generation()
    print(json.dumps(report if "error" in report else {"ready": report}), flush=True)
    if "error" in report:
        return 2
    supervisor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
