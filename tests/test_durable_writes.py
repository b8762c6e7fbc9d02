"""Crash-safe writes: ``flgraph load --store oxigraph:DIR`` and ``flgraph export -o`` leave
the old version or the new one, whole, whatever step a kill -9 hits (injected with
``FLGRAPH_CRASH_AT``), keep the file's mode, clean what a killed writer left, and turn a
full disk into a one-line error with the old file in place."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from flgraph.durable import WriteFailed, scratch_directory, sweep_scratch, write_atomically
from flgraph.store import open_store
from tests.conftest import start_server, stop_server
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


def _gone_pid() -> int:
    """The process id of a process that has ended."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def test_scratch_of_a_gone_server_is_swept_and_a_living_ones_kept(tmp_path):
    dead = tmp_path / f"flgraph-dumps-{_gone_pid()}-abc"
    living = tmp_path / f"flgraph-engine-{os.getpid()}-def"
    other = tmp_path / "flgraph-dumps-unrelated"  # not named by a process: not ours to judge
    for directory in (dead, living, other):
        directory.mkdir()
        (directory / "flgraph.nq").write_bytes(b"x" * 1000)
    assert sweep_scratch(tmp_path) == [dead]
    assert not dead.exists() and living.exists() and other.exists()


def test_scratch_directories_carry_their_process_id():
    directory = scratch_directory("answers")
    try:
        assert directory.name.startswith(f"flgraph-answers-{os.getpid()}-")
        assert directory.stat().st_mode & 0o777 == 0o700
    finally:
        directory.rmdir()
    with pytest.raises(ValueError):
        scratch_directory("anything")


@pytest.mark.slow  # starts a server
def test_a_server_start_removes_what_a_killed_server_left(tmp_path):
    """kill -9 leaves a server's copy of the data and its dumps behind; the next start
    removes them (here: a directory named as a killed server's would be)."""
    scratch = Path(tempfile.mkdtemp(prefix="fl-", dir="/tmp"))  # sockets' paths stay short
    left = scratch / f"flgraph-engine-{_gone_pid()}-xyz"
    left.mkdir()
    (left / "data.trig").write_bytes(b"x" * 10_000)
    try:
        server = start_server(env={"TMPDIR": str(scratch)})
        try:
            assert not left.exists()
            assert list(scratch.glob("flgraph-engine-*-*"))  # the new server's own
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.slow  # starts a server
def test_a_socket_path_too_long_is_a_one_line_error(tmp_path):
    deep = tmp_path / ("d" * 90)
    deep.mkdir()
    result = subprocess.run([sys.executable, "-m", "flgraph", "serve", "--port", "1"],
                            env={**os.environ, "TMPDIR": str(deep)}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "the engine cannot listen in" in result.stderr
    assert "Traceback" not in result.stderr
