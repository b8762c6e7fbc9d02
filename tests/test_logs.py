"""Logs an attacker cannot inflate: rdflib's warning per ill-typed literal of a query is
written as one line, once per interval, however many literals and queries carry it."""

from __future__ import annotations

import logging
import subprocess
import sys

from flgraph.logs import OncePerInterval

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_a_query_full_of_ill_typed_literals_logs_one_line_per_datatype():
    literals = " ".join(f'"abc{i}"^^<{XSD}integer> "x{i}"^^<{XSD}date>' for i in range(150))
    query = "SELECT * WHERE { VALUES ?o { " + literals + " } ?s ?p ?o }"
    code = ("from flgraph.query.gateway import check_query\n"
            "from flgraph.query.service import Limits\n"
            "for n in range(3):\n"
            f"    check_query({query!r} + ' # ' + str(n), Limits(), frozenset())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    # 900 ill-typed literals in three 9 kB queries: one line for each datatype
    assert len(lines) == 2, done.stderr[:2000]
    assert any(f"Datatype={XSD}integer" in line and "ValueError" in line for line in lines)
    assert any(f"Datatype={XSD}date" in line for line in lines)


def _record(message: str) -> logging.LogRecord:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        return logging.LogRecord("rdflib.term", logging.WARNING, __file__, 1, message, None,
                                 sys.exc_info())


def test_a_warning_is_written_again_after_the_interval_with_the_count_left_out():
    now = [0.0]
    once = OncePerInterval(interval=60, clock=lambda: now[0])
    first = _record("Failed to convert")
    assert once.filter(first)
    assert first.getMessage() == "Failed to convert (ValueError: bad value)"
    assert first.exc_info is None  # no traceback
    assert not any(once.filter(_record("Failed to convert")) for _ in range(5))
    assert once.filter(_record("Another warning"))  # a distinct one is written
    now[0] = 61.0
    later = _record("Failed to convert")
    assert once.filter(later)
    assert later.getMessage().endswith("[and 5 more like it in the last 60 s]")
