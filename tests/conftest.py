"""Fixtures that build real things: the dataset, the app, a live server on 127.0.0.1.

A test that needs a component this machine lacks (Virtuoso, Chromium) skips locally
but fails in CI (``CI=true``), so a green CI run means the real thing ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=kwargs.pop("timeout", 30), **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=kwargs.pop("timeout", 30), **kwargs)


def start_server(*args: str, env: dict | None = None, wait: float = 30.0) -> LiveServer:
    """``flgraph serve`` as a real process on a free port, once it answers /health."""
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


@pytest.fixture(scope="session")
def app(dataset_file):
    from flgraph.web import create_app

    return create_app({"TESTING": True, "FLGRAPH_DATA": dataset_file})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
pytest_plugins = ["tests.virtuoso", "tests.stores", "tests.web.browsing"]  # stores, Chromium
