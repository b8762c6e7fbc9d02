"""Crash-safe writes: ``flgraph load --store oxigraph:DIR`` and ``flgraph export -o`` leave
the old version or the new one, whole, whatever step a kill -9 hits (injected with
``FLGRAPH_CRASH_AT``), keep the file's mode, clean what a killed writer left, and turn a
full disk into a one-line error with the old file in place."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from flgraph.durable import WriteFailed, write_atomically
from flgraph.store import open_store
from tests.helpers import run_cli

LOAD_STEPS = ("loaded", "named", "linked", "switched")
FILE_STEPS = ("written", "flushed", "renamed")
SMALL = ('<https://example.org/a> <https://example.org/p> "one" '
         '<https://example.org/g> .\n')


def _flgraph(*args: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"FLGRAPH_CRASH_AT": crash_at} if crash_at else {})}
    return subprocess.run([sys.executable, "-m", "flgraph", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.nq"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.mark.slow  # a load process killed at each step
@pytest.mark.parametrize("step", LOAD_STEPS)
def test_a_load_killed_at_any_step_leaves_a_whole_store(tmp_path, dataset_file, small_data,
                                                         step):
    store = tmp_path / "store"
    first = _flgraph("load", "--store", f"oxigraph:{store}", "--data", str(small_data))
    assert first.returncode == 0, first.stderr
    killed = _flgraph("load", "--store", f"oxigraph:{store}", "--data", str(dataset_file),
                      crash_at=step)
    assert killed.returncode == -signal.SIGKILL
    # the old store (one quad) or the new one (the whole dataset), never a part or none
    expected = {1, len(ox.Dataset(ox.parse(path=str(dataset_file))))}
    assert open_store(f"oxigraph:{store}").count() in expected
    # the next load succeeds and leaves nothing of the killed one behind
    again = _flgraph("load", "--store", f"oxigraph:{store}", "--data", str(small_data))
    assert again.returncode == 0, again.stderr
    assert open_store(f"oxigraph:{store}").count() == 1
    left = sorted(entry.name for entry in store.iterdir())
    assert len(left) == 2 and "active" in left, left
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["store"]


def test_a_store_from_before_versions_is_replaced(tmp_path, small_data):
    legacy = tmp_path / "store"
    store = ox.Store(str(legacy))
    store.load(path=str(small_data))
    store.flush()
    del store
    assert open_store(f"oxigraph:{legacy}").count() == 1
    assert _flgraph("load", "--store", f"oxigraph:{legacy}", "--data",
                    str(small_data)).returncode == 0
    assert open_store(f"oxigraph:{legacy}").count() == 1
    assert "CURRENT" not in {entry.name for entry in legacy.iterdir()}  # old files gone


@pytest.mark.parametrize("step", FILE_STEPS)
def test_an_export_killed_at_any_step_leaves_the_old_file_or_the_new(tmp_path, small_data,
                                                                     step):
    target = tmp_path / "out.nq"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    killed = _flgraph("export", "--data", str(small_data), "--format", "nq", "-o",
                      str(target), crash_at=step)
    assert killed.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") in ("old\n", SMALL)
    done = _flgraph("export", "--data", str(small_data), "--format", "nq", "-o",
                    str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == SMALL
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nq"]  # no temp file left


def test_a_new_file_gets_the_usual_mode(tmp_path, small_data):
    target = tmp_path / "new.nq"
    assert run_cli("export", "--data", str(small_data), "--format", "nq", "-o",
                   str(target)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644 & ~umask


def test_a_full_disk_is_one_line_and_the_old_file_stays(tmp_path):
    target = tmp_path / "data.trig"
    target.write_text("old\n", encoding="utf-8")

    def fill(path: Path) -> None:
        path.write_text("partial", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(WriteFailed) as caught:
        write_atomically(target, fill)
    assert str(caught.value) == (f"cannot write {target}: the disk is full; it was left "
                                 "as it was")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.trig"]


def test_a_file_size_limit_is_a_one_line_error_at_the_command_line(tmp_path, dataset_file):
    """The kernel refuses the write (as on a full disk): one line, exit code, old file."""
    target = tmp_path / "out.trig"
    target.write_text("old\n", encoding="utf-8")
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)); "
            "from flgraph.cli import main; sys.argv = ['flgraph'] + sys.argv[1:]; main()")
    done = subprocess.run([sys.executable, "-c", code, "export", "--data", str(dataset_file),
                           "--format", "trig", "-o", str(target)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"flgraph: error: cannot write {target}"), \
        done.stderr
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.trig"]
