"""The loopback interface as tests and benchmarks use it: a free port for a server of
their own, and HTTP sessions from a chosen address, so that one machine plays several
clients, as the endpoint tells clients apart by their address (the fairness and attack
tests, the load benchmark)."""

from __future__ import annotations

import socket

import requests
from requests.adapters import HTTPAdapter


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FromAddress(HTTPAdapter):
    """Connections from a given loopback address (Linux routes all of 127/8 to lo), so
    that one machine plays several clients, as the endpoint tells clients apart by it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session
