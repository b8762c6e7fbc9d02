"""Memory of a web process on the memory store: does it hold a copy of the data?

    python bench/web_process_memory.py [--data FILE ...] [--runs 3]

For each data file, in one run, each case in a fresh interpreter: the app made with
``create_app`` and asked for the overview page (which counts the quads) and
``/health?deep=1``; then the web process's own unique memory (USS, its children not
counted) is read. Baseline: no query workers, the store in the web process (what every
web process held before the query service built by query/factory.py). Compared: one
query worker holding the data, the web process asking it even for the count. Reported as
MB and as the ratio to the baseline; the difference is the copy no longer held.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, record

CHILD = """
import json, sys
import psutil
from flgraph.web import create_app
app = create_app({"TESTING": True, "FLGRAPH_DATA": sys.argv[1],
                  "FLGRAPH_QUERY_WORKERS": int(sys.argv[2]), "FLGRAPH_CACHE": False})
client = app.test_client()
assert client.get("/").status_code == 200
assert client.get("/health?deep=1").status_code == 200
print(json.dumps({"uss": psutil.Process().memory_full_info().uss}))
pool = app.extensions["flgraph"].query_service.pool
if pool is not None:
    pool.close()
"""


def uss_mb(data: Path, workers: int) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), str(workers)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])["uss"] / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="*",
                        default=[ROOT / "data" / "flgraph.trig"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = ["| data | store in the web process, MB | workers hold it, MB | ratio |",
            "|---|---:|---:|---:|"]
    for data in args.data:
        alone = statistics.median(uss_mb(data, 0) for _ in range(args.runs))
        served = statistics.median(uss_mb(data, 1) for _ in range(args.runs))
        rows.append(f"| {data.name} ({data.stat().st_size / 1e6:.1f} MB file) | "
                    f"{alone:.1f} | {served:.1f} | {served / alone:.2f} |")
        print(rows[-1], flush=True)
    body = (f"Median of {args.runs} runs of USS of the web process after / and "
            "/health?deep=1 (bench/web_process_memory.py).\n\n" + "\n".join(rows))
    print(body)
    record("Web process memory: the data held by workers only", body)


if __name__ == "__main__":
    main()
