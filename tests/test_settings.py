"""One place for settings (config.py): nothing else reads the environment, every
FLGRAPH_* key the source names is declared there, the README lists each with its
default, and the settings are read for real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flgraph.config import ENVIRONMENT, SETTINGS, Limits, Settings

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "flgraph"
CONFIG = SRC / "config.py"
DECLARED = {key for key, *_ in SETTINGS} | {name for name, *_ in ENVIRONMENT}


def sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p != CONFIG)


def test_nothing_but_config_reads_the_environment():
    readers = [f"{p.relative_to(ROOT)}:{n}" for p in sources()
               for n, line in enumerate(p.read_text().splitlines(), 1)
               if re.search(r"\bos\.environ\b|\bgetenv\(", line)]
    assert readers == []


def test_nothing_but_config_reads_the_app_configuration():
    readers = [f"{p.relative_to(ROOT)}:{n}" for p in sources()
               for n, line in enumerate(p.read_text().splitlines(), 1)
               if re.search(r"app\.config\[|app\.config\.get\(", line)]
    assert readers == []


def test_every_flgraph_key_the_source_names_is_declared():
    named = {key for p in sources() for key in re.findall(r"\bFLGRAPH_[A-Z_]+\b",
                                                          p.read_text())}
    assert named - DECLARED == set()


def test_the_readme_lists_every_setting_with_its_default():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Settings"):]
    section = section[:section.index("\n## ", 1)] if "\n## " in section[1:] else section
    for key in sorted(DECLARED):
        line = next((row for row in section.splitlines() if f"`{key}`" in row), None)
        assert line is not None, f"{key} is not in the README's settings"
    for key, default, _ in SETTINGS:
        line = next(row for row in section.splitlines() if f"`{key}`" in row)
        shown = "Limits()" if isinstance(default, Limits) else repr(default)
        assert f"| `{shown}` |" in line, (key, default)


def test_an_unknown_type_of_store_is_refused_at_once():
    from flgraph.web import create_app

    with pytest.raises(ValueError, match="unknown store 'ftp:x'"):
        create_app({"TESTING": True, "FLGRAPH_STORE": "ftp:x"})


def test_a_misspelt_setting_is_refused_not_ignored():
    from flgraph.web import create_app

    with pytest.raises(ValueError, match=r"unknown setting.*FLGRAPH_PAGESIZE"):
        create_app({"TESTING": True, "FLGRAPH_PAGESIZE": 10})


def rows_shown(page: str) -> int:
    body = page[page.index('<table class="results"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return body.count("<tr>")


def test_the_page_size_is_read(dataset_file):
    """FLGRAPH_PAGE_SIZE sets how many rows a saved query's table shows. Table 1 lists
    more than three member States (the README's example names three under one typology
    alone), so a page of three is shorter than the whole."""
    from flgraph.web import create_app

    pages = {}
    for size in (3, Settings().page_size):
        app = create_app({"TESTING": True, "FLGRAPH_DATA": dataset_file,
                          "FLGRAPH_PAGE_SIZE": size, "FLGRAPH_CACHE": False})
        response = app.test_client().get("/queries/table-1", headers={"Accept": "text/html"})
        assert response.status_code == 200
        pages[size] = response.get_data(as_text=True)
    assert rows_shown(pages[3]) == 3
    assert rows_shown(pages[Settings().page_size]) > 3
    assert "page 1 of" in pages[3]
