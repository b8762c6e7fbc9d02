"""Data files with a DOCTYPE or entities (the "billion laughs") are refused by every
command that reads RDF, with a one-line reason and exit code 2, before any parser
expands them — wherever the DOCTYPE hides in the file."""

from __future__ import annotations

import time

import pytest

from tests.conftest import DATA
from tests.helpers import run_cli

LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
BODY = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
        "<ex:p>&l9;</ex:p></rdf:Description></rdf:RDF>")
DOCUMENTS = {
    "billion laughs": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{LAUGHS}]>{BODY}',
    "after a long comment": '<?xml version="1.0"?>\n<!--' + "x" * 10_000 + "-->\n"
                            f'<!DOCTYPE r [<!ENTITY l0 "lol">{LAUGHS}]>{BODY}',
    "lower case": f'<!doctype r [<!ENTITY l0 "lol">{LAUGHS}]>{BODY}',
    "external entity": '<!DOCTYPE r [<!ENTITY l9 SYSTEM "file:///etc/passwd">]>' + BODY,
}


@pytest.fixture(params=list(DOCUMENTS))
def entity_file(request, tmp_path):
    path = tmp_path / "attack.rdf"
    path.write_text(DOCUMENTS[request.param], encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [
    ["validate", "{path}"],
    ["export", "--data", "{path}", "--format", "nt"],
    ["load", "--store", "oxigraph:{store}", "--data", "{path}"],
])
def test_entity_expansion_is_refused_by_every_command(entity_file, tmp_path, command):
    args = [a.format(path=entity_file, store=tmp_path / "store") for a in command]
    started = time.monotonic()
    result = run_cli(*args)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "DOCTYPE" in message and "\n" not in message and "Traceback" not in message


def test_a_failed_load_leaves_the_previous_store_in_place(tmp_path):
    store = tmp_path / "store"
    assert run_cli("load", "--store", f"oxigraph:{store}", "--data", str(DATA)).exit_code == 0
    attack = tmp_path / "attack.rdf"
    attack.write_text(DOCUMENTS["billion laughs"], encoding="utf-8")
    failed = run_cli("load", "--store", f"oxigraph:{store}", "--data", str(attack))
    assert failed.exit_code == 2
    from flgraph.store import open_store

    reopened = open_store(f"oxigraph:{store}")
    try:
        assert reopened.count() > 1000
    finally:
        reopened.close()
