"""The tests' Virtuoso (testbed/virtuoso.py runs it): ``virtuoso``, one server for the
whole session, and ``start_virtuoso`` for tests that need their own; both skip where
Virtuoso is not installed (and fail in CI, see conftest.require)."""

from __future__ import annotations

from pathlib import Path

import pytest
from testbed import virtuoso as testbed_virtuoso
from testbed.virtuoso import Virtuoso, stop_virtuoso

from .conftest import require_program

__all__ = ["Virtuoso", "start_virtuoso", "stop_virtuoso", "virtuoso"]


def start_virtuoso(directory: Path, **options) -> Virtuoso:
    """testbed's ``start_virtuoso``, once the programs it runs are known to be here."""
    program = require_program("virtuoso-t")
    require_program("isql-vt")
    return testbed_virtuoso.start_virtuoso(directory, program=program, **options)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Virtuoso:
    """One Virtuoso for the session, empty; ``virtuoso_store`` loads the dataset."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop_virtuoso(server)
