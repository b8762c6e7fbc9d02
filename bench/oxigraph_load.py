"""pyoxigraph's own bulk load of a file into a new on-disk store, and nothing of flgraph's.

    python -m bench.oxigraph_load DATA.trig STORE_DIR

The floor that ``flgraph load --store oxigraph:PATH`` is compared with in the same
benchmark run: the same two engine calls flgraph makes (``bulk_load`` from the file,
then ``optimize``), without its checks, its count, its swap into place or its CLI. On a
noisy machine an absolute load time says little alone; the ratio of the two says what
flgraph adds, and the floor what the engine costs on this machine at this moment.
The last stdout line is a JSON report: the two calls' wall times.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def main(data: Path, target: Path) -> dict:
    shutil.rmtree(target, ignore_errors=True)
    store = ox.Store(str(target))
    started = time.perf_counter()
    store.bulk_load(path=str(data), format=ox.RdfFormat.from_extension(data.suffix[1:]))
    loaded = time.perf_counter()
    store.optimize()
    done = time.perf_counter()
    return {"bulk_load_s": round(loaded - started, 3), "optimize_s": round(done - loaded, 3)}


if __name__ == "__main__":
    report = main(Path(sys.argv[1]), Path(sys.argv[2]))
    shutil.rmtree(sys.argv[2], ignore_errors=True)
    print(json.dumps(report))
