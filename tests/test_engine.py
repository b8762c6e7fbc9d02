"""The engine behind ``flgraph serve``: one version of the data at a time, loaded once.

Each test runs a real ``flgraph serve`` on a copy of the dataset and asks it through
SPARQLWrapper. The report says "More than 400 victims" (data/source, Table 3's outputs);
the tests edit that phrase in the data file to tell the versions apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path
from urllib.error import HTTPError

import psutil
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.conftest import DATA, ROOT, free_port, start_server, stop_server

pytestmark = pytest.mark.slow  # each starts the engine or a server

ORIGINAL = b"More than 400 victims"  # the report's own words
EDITED = b"More than 500 victims"
WORKERS = 2  # --workers: web processes
PUBLIC = WORKERS * (2 + 1)  # the public lane's: --public-workers 2 per web process + a spare
LANES = WORKERS * 2 + PUBLIC  # and the site's: --query-workers 2
#: these tests are about versions of the data, not deadlines: on a loaded machine a fresh
#: worker's first query can take seconds
PATIENT = ("--timeout", "30")
_unique = count()


def says(server, phrase: bytes) -> bool:
    """Whether the served data holds ``phrase``; each question is new, so no response
    cache answers it."""
    endpoint = SPARQLWrapper(server.url + "/sparql")
    endpoint.setReturnFormat(JSON)
    endpoint.setQuery(f'ASK {{ ?s ?p ?o FILTER (CONTAINS(STR(?o), "{phrase.decode()}") '
                      f"&& {next(_unique)} >= 0) }}")
    try:
        return endpoint.queryAndConvert()["boolean"]
    except HTTPError as err:  # the server's one-line reason, for the failure's report
        raise AssertionError(f"{err.code}: {err.read().decode()}") from None


def answers(server, phrase: bytes, times: int = 3 * LANES) -> set[bool]:
    """What the server answers ``times`` over, asked by as many clients at once as the
    public lane has workers (so that every worker takes some of the questions)."""
    with ThreadPoolExecutor(PUBLIC) as clients:
        return set(clients.map(lambda _: says(server, phrase), range(times)))


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def workers(server) -> list[psutil.Process]:
    """The query workers: the engine's processes that fork nothing (the supervisor forks
    a generation, a generation forks the workers)."""
    found = []
    for process in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if "flgraph.query.engine.server" in " ".join(process.cmdline()) and \
                    not process.children():
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def wait_for_workers(server, besides: set[int], seconds: float = 30.0) -> bool:
    """Whether the server has all its workers again, none of them in ``besides``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = {p.pid for p in workers(server)}
        if len(pids) == LANES and not pids & besides:
            return True
        time.sleep(0.2)
    return False


def wait_for_version(server, version: str, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.get("/health").json()["dataset"] == version:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def data_copy(tmp_path):
    path = tmp_path / "flgraph.trig"
    path.write_bytes(DATA.read_bytes())
    return path


@pytest.fixture
def live(data_copy):
    server = start_server("--data", str(data_copy), "--per-client", "0", *PATIENT)
    yield server
    stop_server(server)


def test_a_file_replaced_while_serving_changes_nothing_until_reload(live, data_copy):
    assert answers(live, ORIGINAL) == {True}
    data_copy.write_bytes(DATA.read_bytes().replace(ORIGINAL, EDITED))
    # workers killed (as at a query's deadline) are replaced by ones with the same data
    killed = workers(live)
    for worker in killed:
        worker.kill()
    psutil.wait_procs(killed, timeout=10)
    assert wait_for_workers(live, besides={p.pid for p in killed})
    assert answers(live, EDITED) == {False}
    assert answers(live, ORIGINAL) == {True}
    assert live.get("/health").json()["dataset"] == version_of(DATA.read_bytes())


def test_sighup_with_a_valid_file_swaps_every_worker(live, data_copy):
    assert wait_for_workers(live, set())  # (see test_workers_write_no_core_dumps)
    before = {p.pid for p in workers(live)}
    edited = DATA.read_bytes().replace(ORIGINAL, EDITED)
    data_copy.write_bytes(edited)
    live.process.send_signal(signal.SIGHUP)
    assert wait_for_version(live, version_of(edited))
    assert answers(live, EDITED) == {True}
    assert answers(live, ORIGINAL) == {False}
    time.sleep(1)  # the old generation's workers leave once idle
    assert not before & {p.pid for p in workers(live)}


@pytest.mark.parametrize("content", [b"", DATA.read_bytes()[:5000]], ids=["empty", "truncated"])
def test_sighup_with_a_broken_file_is_refused_and_the_old_data_serves(live, data_copy,
                                                                      content):
    data_copy.write_bytes(content)
    live.process.send_signal(signal.SIGHUP)
    time.sleep(3)
    assert live.get("/health").json()["dataset"] == version_of(DATA.read_bytes())
    assert answers(live, ORIGINAL) == {True}
    stop_server(live)
    log = live.process.stderr.read().decode()
    refusals = [line for line in log.splitlines() if "reload refused" in line]
    assert len(refusals) == 1 and str(data_copy) in refusals[0], log
    assert "Traceback" not in log


def test_watch_reloads_a_changed_file(data_copy):
    server = start_server("--data", str(data_copy), "--watch", "--per-client", "0", *PATIENT)
    try:
        edited = DATA.read_bytes().replace(ORIGINAL, EDITED)
        data_copy.write_bytes(edited)
        assert wait_for_version(server, version_of(edited))
        assert answers(server, EDITED) == {True}
    finally:
        stop_server(server)


@pytest.mark.parametrize("content", [b"", DATA.read_bytes()[:5000], b"not RDF at all {"],
                         ids=["empty", "truncated", "unparsable"])
def test_a_broken_file_at_start_is_one_line_and_no_server(tmp_path, content):
    data = tmp_path / "flgraph.trig"
    data.write_bytes(content)
    port = free_port()
    run = subprocess.run([sys.executable, "-m", "flgraph", "serve", "--port", str(port),
                          "--data", str(data)], cwd=ROOT, capture_output=True, timeout=60)
    assert run.returncode == 2
    message = run.stderr.decode().strip()
    assert "\n" not in message and str(data) in message, message
    assert "serving" not in message and "Traceback" not in message


def test_a_server_stopped_as_it_starts_serving_leaves_no_engine_behind():
    """Stopped as soon as its engine is ready (which then builds the grammar, after
    reporting), ``flgraph serve`` ends with every process it started."""
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "flgraph", "serve", "--port",
                                    str(free_port())], cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        try:
            for line in process.stderr:  # "flgraph: serving …" once the engine is ready
                if b"serving" in line:
                    break
            started = psutil.Process(process.pid).children(recursive=True)
        finally:
            process.terminate()
            process.wait(30)
            process.stderr.close()
        assert started
        _, alive = psutil.wait_procs(started, timeout=15)
        assert not alive, [" ".join(p.cmdline())[:80] for p in alive]


def test_workers_write_no_core_dumps(live):
    # a worker that held more than its share of memory after a page's query is replaced
    # by a fresh fork (from the same generation, with the same limits): wait for a moment
    # when every lane is full, and pass over a worker that leaves while being looked at
    assert wait_for_workers(live, set())
    limits = []
    for worker in workers(live):
        try:
            limits.append((worker.rlimit(resource.RLIMIT_CORE),
                           worker.rlimit(resource.RLIMIT_AS)[0]))
        except psutil.NoSuchProcess:
            continue
    assert len(limits) >= LANES // 2
    assert {core for core, _ in limits} == {(0, 0)}
    # the default cap of each worker leaves room on the machine for all of them
    assert all(0 < cap < psutil.virtual_memory().total for _, cap in limits)


def web_processes(server) -> list[psutil.Process]:
    return [p for p in psutil.Process(server.process.pid).children()
            if "flgraph.query.engine.server" not in " ".join(p.cmdline())]


def settled_rss(processes: list[psutil.Process], seconds: float = 20.0) -> int:
    """The processes' resident memory once it stops moving (each web process warms its
    pages in the background as it starts), or after ``seconds``."""
    deadline = time.monotonic() + seconds
    last = sum(p.memory_info().rss for p in processes)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = sum(p.memory_info().rss for p in processes)
        if abs(now - last) < 512 * 1024:
            return now
        last = now
    return last


def test_a_huge_answer_is_capped_as_bytes_before_the_web_process(tmp_path):
    """200 BINDs repeat each of the report's 4,875 triples' object 200 times: as XML,
    97 MB that the web process used to write itself (40 MB → 1,046 MB). The worker
    writes it now, within the 16 MiB cap, and says it cut it."""
    server = start_server("--per-client", "0", "--timeout", "30")
    try:
        web = web_processes(server)
        before = settled_rss(web)  # after the web processes' own warm-up of their pages
        binds = " ".join(f"BIND (?o AS ?b{i})" for i in range(200))
        response = server.post("/sparql", data={"query": f"SELECT * {{ ?s ?p ?o {binds} }}"},
                               headers={"Accept": "application/sparql-results+xml"})
        grown = sum(p.memory_info().rss for p in web) - before
    finally:
        stop_server(server)
    assert response.status_code == 200
    assert response.headers["X-Flgraph-Truncated"] == "true"
    assert len(response.content) <= 16 * 1024**2
    assert b'<link href="https://w3id.org/flgraph/ontology#TruncatedResult"/>' in response.content
    rows = list(ox.parse_query_results(response.content, ox.QueryResultsFormat.XML))
    assert 0 < len(rows) < 4875
    assert all(row["b199"] == row["o"] for row in rows)
    assert grown < 2 * 16 * 1024**2, grown  # the body once, and its copy on the way out


def _holding(megabytes: int) -> int:
    """A forked process that has written ``megabytes`` MB of its own and then waits."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            held = bytearray(megabytes * 1024**2)
            for at in range(0, len(held), 4096):
                held[at] = 1
            os.write(write, b"ready")
            while True:
                time.sleep(1)
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 5) == b"ready"
    os.close(read)
    return pid


def _end(*pids: int) -> None:
    """Kill and reap the processes ``_holding`` made."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def test_the_generation_tells_a_worker_holding_more_than_its_share_to_leave():
    from flgraph.query.engine.server import Lane, _Sweep

    big, small = _holding(64), _holding(1)
    try:
        _Sweep(limit=32 * 1024**2).run({big: Lane("site", 2), small: Lane("site", 2)})
        deadline = time.monotonic() + 10
        while (ended := os.waitpid(big, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ended[0] == big and os.WIFSIGNALED(ended[1])
        assert os.WTERMSIG(ended[1]) == signal.SIGTERM
        time.sleep(0.2)
        assert os.waitpid(small, os.WNOHANG) == (0, 0)  # still there
    finally:
        _end(big, small)


def _ended_by_sigterm(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while (ended := os.waitpid(pid, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    return ended[0] == pid and os.WIFSIGNALED(ended[1]) and os.WTERMSIG(ended[1]) == signal.SIGTERM


def test_the_generation_replaces_idle_workers_holding_more_than_a_fresh_fork(monkeypatch):
    """Under its share, a worker is kept while it works; once idle since its last look, it
    is looked at against the idle limit and told to leave if it holds more — one worker
    of a lane at a time, so that the lane's others stay there meanwhile."""
    from flgraph.query.engine import server
    from flgraph.query.engine.server import Lane, _Sweep

    first, second, small = _holding(24), _holding(24), _holding(1)
    workers = {first: Lane("site", 3), second: Lane("site", 3), small: Lane("site", 3)}
    try:
        sweep = _Sweep(limit=64 * 1024**2, idle_limit=16 * 1024**2)
        sweep.run(workers)  # first look: all under their share
        time.sleep(0.2)
        assert all(os.waitpid(pid, os.WNOHANG) == (0, 0) for pid in workers)
        monkeypatch.setattr(server, "IDLE_SECONDS", 0.0)
        sweep.run(workers)  # no CPU used since: idle, so the idle limit, one at a time
        time.sleep(0.3)
        left = [pid for pid in (first, second) if os.waitpid(pid, os.WNOHANG) != (0, 0)]
        assert len(left) == 1, left
        del workers[left[0]]  # reaped, as the generation does
        sweep.run(workers)
        other = second if left[0] == first else first
        assert _ended_by_sigterm(other)
        time.sleep(0.2)
        assert os.waitpid(small, os.WNOHANG) == (0, 0)  # still there
    finally:
        _end(first, second, small)


def test_workers_to_replace_are_told_one_of_a_lane_at_a_time():
    """The endpoint's workers forked before the generation built the grammar are replaced
    once it has, whatever they hold, but one of a lane at a time: told at once, a query
    sent meanwhile found no worker of the lane to take it."""
    from flgraph.query.engine.server import Lane, _Sweep

    first, second, other = _holding(1), _holding(1), _holding(1)
    public, site = Lane("public", 2, early=True), Lane("site", 1)
    workers = {first: public, second: public, other: site}
    try:
        sweep = _Sweep(limit=64 * 1024**2)
        sweep.replace({first, second, other})
        sweep.run(workers)
        time.sleep(0.3)
        ended = [pid for pid in workers if os.waitpid(pid, os.WNOHANG) != (0, 0)]
        assert other in ended and len(ended) == 2, ended  # one of each lane
        for pid in ended:
            del workers[pid]  # reaped, as the generation does
        sweep.run(workers)
        assert _ended_by_sigterm(second if first in ended else first)
    finally:
        _end(first, second, other)


def _engine_lanes(server) -> tuple[dict[int, float], dict[int, float]]:
    """The endpoint's workers (their priority lowered, launch.PUBLIC_NICE) and the
    site's, each as process id -> start time; a worker that ends meanwhile is left out."""
    public, site = {}, {}
    for process in workers(server):
        with contextlib.suppress(psutil.NoSuchProcess):
            (public if process.nice() > 0 else site)[process.pid] = process.create_time()
    return public, site


def test_the_endpoint_answers_at_once_and_its_first_workers_are_replaced(live):
    """At the server's start the endpoint's workers are forked before the grammar the
    gateway parses non-plain queries with, so that the first answer does not wait for it;
    once it is built they are replaced by forks that share it, while queries go on
    being answered (none refused as busy)."""
    deadline = time.monotonic() + 10
    while len(public := _engine_lanes(live)[0]) < PUBLIC and time.monotonic() < deadline:
        time.sleep(0.05)  # a worker lowers its priority as it starts
    early = set(public)
    assert len(early) == PUBLIC
    assert wait_for_workers(live, set())  # the site's lane forks once the grammar is built
    public, site = _engine_lanes(live)
    assert len(site) == WORKERS * 2
    youngest_site = max(site.values())
    assert any(public.get(pid, youngest_site) < min(site.values()) for pid in early), \
        "the endpoint's workers were forked no earlier than the site's"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert answers(live, ORIGINAL, times=PUBLIC) == {True}
        public, site = _engine_lanes(live)
        if len(public) == PUBLIC and not early & set(public):
            break
    else:
        pytest.fail("the endpoint's first workers were not replaced")
    assert all(created >= youngest_site for created in public.values())


def test_the_engine_tells_its_named_graphs_beside_its_version(live):
    """Every /sparql query checks its graphs against the store's: the engine writes them
    in current.json, so that a web process need not ask a worker (at the server's start
    the site's lane, whose workers fork last)."""
    import json

    from flgraph.query.engine.client import CurrentVersion

    engine = next(p for p in psutil.Process(live.process.pid).children()
                  if "flgraph.query.engine.server" in " ".join(p.cmdline()))
    directory = json.loads(engine.cmdline()[-1])["dir"]
    store = ox.Store()
    store.bulk_load(path=str(DATA), format=ox.RdfFormat.TRIG)
    expected = sorted(g.value for g in store.named_graphs())
    assert expected and CurrentVersion(Path(directory)).get().graphs == tuple(expected)


def test_a_lane_store_reads_the_graphs_it_is_told_without_asking_a_worker():
    from flgraph.query.lanes import LaneStore

    class NoWorker:
        def call(self, op):
            raise AssertionError(f"asked a worker: {op}")

    told = LaneStore(NoWorker(), graphs=lambda: ("http://example.org/a",))
    assert told.graph_names() == ["http://example.org/a"]

    class Worker:
        def call(self, op):
            return ["http://example.org/b"] if op == "graphs" else None

    assert LaneStore(Worker(), graphs=lambda: None).graph_names() == ["http://example.org/b"]


def test_a_job_no_worker_takes_up_is_busy_not_too_costly(tmp_path):
    """A connection a worker closes before greeting (the job came past its wait, or to a
    worker leaving) means no worker ran it: 'busy', not 'the query needed too much'."""
    import socket
    import threading

    from flgraph.config import Limits
    from flgraph.query.engine.client import EngineLane
    from flgraph.query.errors import Overloaded
    from flgraph.query.service import QueryRequest

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(tmp_path / "public.sock"))
    listener.listen(4)

    def close_at_once():
        sock, _ = listener.accept()
        sock.recv(65536)  # the job arrives, and is dropped
        sock.close()

    threading.Thread(target=close_at_once, daemon=True).start()
    lane = EngineLane(tmp_path, "public", Limits(), 1, queue_wait=2.0, costly_places=1)
    with pytest.raises(Overloaded):
        lane.run(QueryRequest("ASK {}"), 10, frozenset())
    listener.close()


def test_jobs_and_answers_cross_a_lane_socket_whole():
    """What a web process and a worker send each other arrives as it was sent: a job
    with bound terms and graphs, a greeting and an answer read in one go, written bytes
    larger than a socket's buffer, an error, and an answer given as rows."""
    import socket
    import threading

    from flgraph.config import Limits
    from flgraph.query.engine.wire import (
        GREETING,
        Job,
        Reader,
        encode_answer,
        encode_job,
        write_all,
    )
    from flgraph.query.service import QueryRequest
    from flgraph.store import AskResult
    from flgraph.store.results import Serialized

    request = QueryRequest("SELECT ?o { ?s ?p ?o }", {"s": ox.NamedNode("http://e/s"),
                                                       "o": ox.Literal("été", language="fr")},
                           default_graphs=("http://e/g",), public=True, client="10.0.0.1",
                           formats=("json", None))
    job = Job("query", request, 7, 4.5, frozenset({"http://e/g"}), Limits(timeout=3.0),
              accept_by=12.5)
    big = Serialized("select", "json", bytes(range(256)) * 12_000, True)  # 3 MB
    answers = [("ok", big), ("error", ("syntax", "line 1: expected a term")),
               ("ok", AskResult(True))]
    web, worker = socket.socketpair()
    received = []

    def serve():
        reader = Reader(worker.fileno())
        received.append(reader.job(time.monotonic() + 5))
        for status, payload in answers:
            write_all(worker.fileno(), GREETING.pack(b"H", 4321, 1.25),
                      *encode_answer(status, payload))

    thread = threading.Thread(target=serve)
    thread.start()
    write_all(web.fileno(), encode_job(job))
    reader = Reader(web.fileno())
    got = []
    for _ in answers:
        assert reader.greeting(time.monotonic() + 5) == (4321, 1.25)
        got.append(reader.answer(time.monotonic() + 5))
    thread.join()
    web.close()
    worker.close()
    assert received == [job]
    assert received[0].request.bindings["o"] == ox.Literal("été", language="fr")
    assert got == answers


def test_a_job_whose_worker_leaves_before_greeting_goes_to_another(tmp_path):
    """A worker told to leave just after it accepted a connection closes it without a
    greeting: the job was never run, and the web process sends it to the next worker
    within its queue wait instead of answering "busy" (one more try, not more)."""
    import socket
    import threading

    from flgraph.config import Limits
    from flgraph.query.engine.client import EngineLane
    from flgraph.query.engine.wire import GREETING, Reader, encode_answer, write_all
    from flgraph.query.errors import Overloaded
    from flgraph.query.service import QueryRequest
    from flgraph.store import AskResult

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(tmp_path / "public.sock"))
    listener.listen(8)
    jobs = []

    def lane(leaving: int) -> None:
        for _ in range(leaving):  # workers that leave at once
            conn, _ = listener.accept()
            conn.close()
        conn, _ = listener.accept()  # a worker that answers
        reader = Reader(conn.fileno())
        jobs.append(reader.job(time.monotonic() + 5))
        write_all(conn.fileno(), GREETING.pack(b"H", os.getpid(), 0.0),
                  *encode_answer("ok", AskResult(True)))
        conn.close()

    engine = EngineLane(tmp_path, "public", Limits(timeout=5.0), size=2, queue_wait=2.0)
    request = QueryRequest("ASK {}", {})
    thread = threading.Thread(target=lane, args=(1,))
    thread.start()
    assert engine.run(request, 10, frozenset()) == AskResult(True)
    thread.join()
    assert [job.request.text for job in jobs] == ["ASK {}"]

    thread = threading.Thread(target=lane, args=(2,))
    thread.start()
    with pytest.raises(Overloaded):
        engine.run(request, 10, frozenset())
    engine.run(request, 10, frozenset())  # the third connection is the answering one
    thread.join()
    listener.close()


def test_the_site_is_imported_with_the_collector_paused_then_frozen():
    """``flgraph serve`` imports the site before the web processes fork (web/serve.py):
    the collector is on again afterwards, and what the imports made is frozen, so that
    the web processes' collections leave it shared."""
    probe = ("import gc; from flgraph.web.serve import import_site; "
             "before = gc.get_freeze_count(); import_site(); "
             "print(gc.isenabled(), gc.get_freeze_count() > before + 10_000); "
             "gc.unfreeze(); import_site(); print(gc.get_freeze_count())")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    # and once only: ``flgraph serve`` imports the site, then ``serve`` asks again
    assert run.stdout.split() == ["True", "True", "0"], run.stderr
