"""Fixtures that build real things: the dataset, the app, a live server on 127.0.0.1.

Two ways to the site: ``site`` is the app in this process (tests/in_process.py), for
tests that ask something of a page and read the answer; ``server`` is ``flgraph serve``
on a port, for tests of the HTTP server itself and of clients that speak HTTP
(SPARQLWrapper, a browser). Both have ``url``, ``get``, ``post`` and ``request``. Every
app a test builds starts from ``app_config`` (one place for the settings tests share).

A test that needs a component this machine lacks (Virtuoso, Chromium) skips locally
but fails in CI (``CI=true``), so a green CI run means the real thing ran. Tests that
take more than a couple of seconds (servers, Virtuoso, browsers, builds) are marked
``slow``: ``pytest -m "not slow"`` is the quick subset to run while working.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from testbed.loopback import free_port

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "flgraph.trig"
SEED = ROOT / "data" / "source" / "000_2635207760a74e4f.txt"
FIXTURES = ROOT / "tests" / "data"


def require(condition: bool, what: str) -> None:
    """Skip when ``what`` is missing here; in CI, fail: CI must run the real thing."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI needs {what}, which is missing")
    pytest.skip(f"{what} is not available here")


def require_program(name: str) -> str:
    path = shutil.which(name) or (name if Path(name).is_file() else None)
    require(path is not None, f"the program {name}")
    return path


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, self.url + path, timeout=kwargs.pop("timeout", 30),
                                **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)


def start_server(*args: str, env: dict | None = None, wait: float = 30.0) -> LiveServer:
    """``flgraph serve`` as a real process on a free port, once it answers /health.
    Only for tests marked ``slow``: a server in the quick subset is a mistake."""
    if not _running["slow"]:
        pytest.fail("this test starts a server: mark it slow (or use the 'site' fixture)")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flgraph", "serve", "--host", "127.0.0.1", "--port", str(port),
         *args],
        cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"flgraph serve exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(url + "/health", timeout=1).status_code == 200:
                wait_for_query_workers(url, min(deadline, time.monotonic() + 10))
                return LiveServer(url, process)
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("flgraph serve did not answer /health in time")


def wait_for_query_workers(url: str, deadline: float, in_a_row: int = 3) -> None:
    """Until endpoint queries are answered within a second ``in_a_row`` times, each on a new
    connection: the web processes (granian hands connections to each in turn) start
    their /sparql workers after answering /health, and on a loaded machine a test's first
    query would otherwise meet them still starting (a query waits for them within its
    deadline). Gives up quietly at ``deadline``."""
    prompt, n = 0, 0
    while prompt < in_a_row and time.monotonic() < deadline:
        n += 1
        try:
            answer = requests.get(url + "/sparql", timeout=5, headers={"Connection": "close"},
                                  params={"query": f"ASK {{ ?s ?p ?o }} # starting {n}"})
            prompt = prompt + 1 if answer.ok and answer.elapsed.total_seconds() < 1 else 0
        except requests.RequestException:
            prompt = 0


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def dataset_file() -> Path:
    """The committed dataset (tests/test_build.py checks a rebuild gives the same bytes)."""
    assert DATA.is_file(), "data/flgraph.trig is missing: run 'flgraph build'"
    return DATA


@pytest.fixture(scope="session")
def server(dataset_file) -> LiveServer:
    """The site on the embedded store, served by `flgraph serve` on 127.0.0.1."""
    live = start_server("--data", str(dataset_file))
    yield live
    stop_server(live)


def app_config(data: Path | str = DATA, **settings: Any) -> dict[str, Any]:
    """The configuration a test gives ``create_app``: testing, ``data`` on the memory
    store, no response cache (a test sees what the store answers now, not an answer kept
    from an earlier test), and ``settings`` (``FLGRAPH_…=value``) over these."""
    return {"TESTING": True, "FLGRAPH_DATA": Path(data), "FLGRAPH_CACHE": False, **settings}


def make_app(data: Path | str = DATA, **settings: Any):
    """``create_app(app_config(data, **settings))``: an app of a test's own."""
    from flgraph.web import create_app

    return create_app(app_config(data, **settings))


@pytest.fixture(scope="session")
def app(dataset_file):
    """The site on the committed dataset, in this process, cache on as ``flgraph serve``
    has it; shared by the session (tests that change an app build their own)."""
    return make_app(dataset_file, FLGRAPH_CACHE=True)


@pytest.fixture(scope="session")
def site(app):
    """``app`` behind a live server's interface, without a server (tests/in_process.py)."""
    from .in_process import InProcessSite

    return InProcessSite(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
pytest_plugins = ["tests.virtuoso", "tests.stores", "tests.web.browsing"]  # stores, Chromium


# The quick subset ------------------------------------------------------------------------

#: Fixtures that start a process or a browser (seconds each, and a few hundred MB): a
#: test that uses one is ``slow`` wherever it is, without a marker of its own.
SLOW_FIXTURES = frozenset({
    "server", "any_server", "target", "evil_server", "w3c_server", "namibia_server",
    "browser", "virtuoso", "virtuoso_store"})
#: Markers that mean the same (a Virtuoso or a browser)
SLOW_MARKERS = frozenset({"virtuoso", "browser"})
#: A test not marked slow that takes longer than this is named at the end of the run
QUICK_SECONDS = 2.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``slow`` on every test that starts a server, Virtuoso or a browser, so that
    ``pytest -m "not slow"`` stays the quick subset as tests are added."""
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        marks = {mark.name for mark in item.iter_markers()}
        if uses & SLOW_FIXTURES or marks & SLOW_MARKERS:
            item.add_marker(pytest.mark.slow)


_unmarked_slow: dict[str, float] = {}
#: Whether the test being set up or run is slow (start_server refuses otherwise); True
#: outside a test.
_running = {"slow": True}


def pytest_runtest_setup(item: pytest.Item) -> None:
    _running["slow"] = item.get_closest_marker("slow") is not None


def pytest_runtest_teardown(item: pytest.Item) -> None:
    _running["slow"] = True


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "slow" not in report.keywords and report.duration > 0:
        _unmarked_slow[report.nodeid] = _unmarked_slow.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    """Tests outside ``slow`` that took more than QUICK_SECONDS (setup and teardown
    included): candidates for the marker. Told, never failed: a loaded machine is slow."""
    late = sorted(((s, n) for n, s in _unmarked_slow.items() if s > QUICK_SECONDS), reverse=True)
    if late:
        terminalreporter.section(f"not marked slow, over {QUICK_SECONDS:g} s")
        for seconds, nodeid in late:
            terminalreporter.write_line(f"{seconds:7.1f} s  {nodeid}")
