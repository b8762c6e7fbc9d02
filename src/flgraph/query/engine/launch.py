"""Starting the engine from ``flgraph serve``, before the HTTP server forks its processes.

The engine is a process of its own (``python -m flgraph.query.engine.server``), so it works
the same under whichever HTTP server runs the site: web processes only need the engine's
directory (``FLGRAPH_ENGINE``), where the lanes' sockets and ``current.json`` are.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ...config import Settings
from ...durable import scratch_directory
from ...store.spec import StoreSpec
from .server import Lane
from .snapshot import SnapshotError

PUBLIC_NICE = 5  # the /sparql lane's workers yield the CPU to the site's own queries


@dataclass
class Engine:
    process: subprocess.Popen
    directory: Path
    ready: dict

    def reload(self) -> None:
        """Load the data file again (the engine refuses it if it does not load)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_engine(data: Path, directory: Path, lanes: list[Lane], watch: bool = False,
                 memory_bytes: int | None = None,
                 meanwhile: Callable[[], object] | None = None) -> Engine:
    """The engine serving ``data``, once its first generation is ready; ``SnapshotError``
    (one line) when the file cannot be served. ``meanwhile`` runs here while the engine
    starts (on another core: the engine is a process of its own)."""
    config = {"data": str(Path(data).resolve()), "dir": str(directory), "watch": watch,
              "lanes": [asdict(lane) for lane in lanes], "memory_bytes": memory_bytes}
    process = subprocess.Popen([sys.executable, "-m", "flgraph.query.engine.server",
                                json.dumps(config)], stdout=subprocess.PIPE)
    if meanwhile is not None:
        try:
            meanwhile()
        except BaseException:
            process.kill()
            process.wait()
            raise
    line = process.stdout.readline()
    process.stdout.close()
    try:
        report = json.loads(line)
    except ValueError:
        report = {"error": f"{data}: the query engine did not start"}
    if "ready" not in report:
        process.wait(10)
        raise SnapshotError(report["error"])
    return Engine(process, directory, report["ready"])


@contextlib.contextmanager
def engine_for(config: dict, web_processes: int, watch: bool,
               meanwhile: Callable[[], object] | None = None) -> Iterator[Engine | None]:
    """The engine ``flgraph serve`` needs for ``config`` (the memory store with query
    workers; None otherwise), with ``config`` pointed at it; stopped on leaving.
    ``meanwhile`` (the site's imports) runs while the engine loads the data, or at once
    when there is no engine.

    Lanes hold as many workers as every web process had of its own before (``--workers``
    times ``--query-workers``, and the same for ``--public-workers`` plus a spare), now
    shared."""
    settings = Settings.from_config(config)
    if not StoreSpec.parse(settings.store).in_memory or not settings.query_workers:
        if meanwhile is not None:
            meanwhile()
        yield None
        return
    lanes = [Lane("site", web_processes * settings.query_workers)]
    if settings.public_workers:
        # one spare per web process: a costly query stopped kills its worker, and the next
        # query (admitted up to --public-workers per web process) finds the spare instead
        # of waiting for the replacement to be forked, slowly on a busy machine
        lanes.append(Lane("public", web_processes * (settings.public_workers + 1),
                          PUBLIC_NICE, early=True))
    directory = scratch_directory("engine")
    owner = os.getpid()
    engine = None
    try:
        engine = start_engine(settings.data, directory, lanes, watch, meanwhile=meanwhile)
        config["FLGRAPH_ENGINE"] = str(directory)
        config["FLGRAPH_ENGINE_LANES"] = {lane.name: lane.size for lane in lanes}
        config["FLGRAPH_WARM"] = True  # web/warm.py
        yield engine
    finally:
        # web processes forked by the HTTP server leave through here too: only the process
        # that made the engine stops it
        if os.getpid() == owner:
            if engine is not None:
                engine.stop()
            shutil.rmtree(directory, ignore_errors=True)
