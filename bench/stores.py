"""Stores at scale: load time, peak memory and query latency per store and size.

    python bench/stores.py [--sizes 2k,20k,200k,2m] [--stores memory,disk,virtuoso,rdflib]

For each size (testbed/synth.py makes the data, cached) and each store, in a process of
its own (measure.py): Oxigraph in memory (parse + load), Oxigraph on disk (``flgraph
load --store oxigraph:PATH``, then a fresh process opens it as ``serve`` does after a
restart and answers a first query), Virtuoso (a throw-away server, ``flgraph load``
through its bulk loader, queried through flgraph's remote store) and rdflib's own SPARQL
engine as the baseline. Each then answers every saved query and resource page
(workload.py), which worker.py times. Answers are compared with Oxigraph in memory's.

Raw results are kept in bench/work/results/<size>/<store>.json, so that a report can be
written again (``--report-only``) without measuring 2M triples twice; the report is
printed and appended to bench/RESULTS.md (report.py) unless ``--no-record``.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testbed import synth

from bench import measure, report
from bench.workload import answer_file, differences, items

STORES = ("memory", "disk", "virtuoso", "rdflib")
RESULTS = synth.WORK / "results"
ANSWERS = synth.WORK / "answers"
#: The deadline per query, on every store: past it the query is stopped and shown as
#: "> 30 s". rdflib stops itself (SIGALRM); a store's worker is killed GRACE later.
TIMEOUT = 30.0
GRACE = 15.0
#: rdflib at 2M: parsing alone takes minutes and many queries tens of seconds, so each
#: query gets this deadline and as many of its timed runs as fit in this budget after
#: its warm-up (at least one); a query that does not finish gives a lower bound of the
#: ratio (deadline ÷ Oxigraph's median). A fast query still gets every run: its median,
#: not one sample, is what the ≥ 10× comparison divides.
RDFLIB_CAP = {"2m": {"timeout": 10.0, "budget_s": 10.0}}
#: A worker whose memory passes this is stopped, and the query it ran is reported as
#: such: on a shared 24 GB machine a query whose intermediate results explode (a cross
#: product; rows repeated in every graph that states them) must not take it all.
MAX_RSS_MB = 8_000
#: The on-disk load is timed this many times (its median reported), each run beside
#: pyoxigraph's own bulk load of the same file: one load is one sample of a noisy machine.
LOAD_RUNS = 3


def measure_store(
    store: str, size: str, data: Path, repeats: int, load_runs: int = LOAD_RUNS
) -> dict:
    answers = ANSWERS / size / store
    shutil.rmtree(answers, ignore_errors=True)
    args = {
        "data": str(data),
        "answers": str(answers),
        "repeats": repeats,
        "timeout": TIMEOUT,
        "variants": store,
        "state": str(answers / "state"),
    }
    if store == "memory":
        return _worker("oxigraph-memory", args)
    if store == "disk":
        return _disk(size, data, args, load_runs)
    if store == "virtuoso":
        return _virtuoso(size, data, args)
    if store == "rdflib":
        return _worker("rdflib", {**args, "alarm": True, **RDFLIB_CAP.get(size, {})})
    raise SystemExit(f"unknown store {store} (choose from {', '.join(STORES)})")


def _worker(task: str, args: dict) -> dict:
    """The worker, started again without the query it was killed for, until it ends."""
    state = Path(args["state"])
    peak, seconds, first, load = 0.0, 0.0, None, os.getloadavg()[0]
    while True:
        run = measure.python(
            "bench.worker",
            task,
            json.dumps(args),
            watch=lambda: _overdue(state, args["timeout"] + GRACE),
            max_rss_mb=MAX_RSS_MB,
        )
        peak, seconds = max(peak, run.peak_rss_mb), seconds + run.seconds
        first = first or run  # its load figures are the ones kept (worker.State)
        if not run.killed:
            break
        if not (state / "now").is_file():
            raise RuntimeError(f"{task} was stopped ({run.killed}) before its first query")
        _mark_stopped(
            state,
            {"timeout_s": args["timeout"]} if run.killed == "watch" else {"oom_mb": MAX_RSS_MB},
        )
    run.check()
    return {
        **run.result,
        "process_s": round(seconds, 3),
        "process_peak_rss_mb": peak,
        "started_at": first.started_at,
        "loadavg_before": load,
    }


def _overdue(state: Path, seconds: float) -> bool:
    try:
        since, _ = (state / "now").read_text().split("\t", 1)
    except (OSError, ValueError):
        return False
    return time.time() - float(since) > seconds


def _mark_stopped(state: Path, why: dict) -> None:
    """The query the killed worker was running: timed out or out of memory, not to be
    asked again."""
    name = (state / "now").read_text().split("\t", 1)[1]
    data = json.loads((state / "state.json").read_text())
    data["items"].setdefault(name, {}).update(why)
    (state / "state.json").write_text(json.dumps(data))
    (state / "now").unlink()


def _disk(size: str, data: Path, args: dict, load_runs: int = LOAD_RUNS) -> dict:
    """``flgraph load`` ``load_runs`` times, each beside pyoxigraph's own bulk load of the
    same file (bench/oxigraph_load.py) in alternating order; then the last store is
    opened as after a restart and timed."""
    path = synth.WORK / "stores" / f"oxigraph-{size}"
    floor_path = synth.WORK / "stores" / f"floor-{size}"
    path.parent.mkdir(parents=True, exist_ok=True)  # pyoxigraph makes the store's folder only
    loads, floors = [], []
    for run in range(load_runs):
        for step in ("floor", "flgraph") if run % 2 == 0 else ("flgraph", "floor"):
            os.sync()  # the previous run's writes are not charged to this one
            if step == "floor":
                floors.append(
                    measure.python("bench.oxigraph_load", str(data), str(floor_path)).check()
                )
            else:
                shutil.rmtree(path, ignore_errors=True)
                loads.append(
                    measure.python(
                        "flgraph", "load", "--store", f"oxigraph:{path}", "--data", str(data)
                    ).check()
                )
    time.sleep(1)  # the loader's process is gone; its files are closed
    result = _worker("oxigraph-disk", {**args, "store": str(path)})
    result["restart_to_first_answer_s"] = round(
        result.pop("first_answer_at") - result["started_at"], 3
    )
    result.update(
        disk_load_s=statistics.median(r.seconds for r in loads),
        disk_load_runs_s=[r.seconds for r in loads],
        disk_load_peak_rss_mb=max(r.peak_rss_mb for r in loads),
        disk_floor_s=statistics.median(r.seconds for r in floors),
        disk_floor_runs=[{"process_s": r.seconds, **r.result} for r in floors],
        disk_store_mb=round(
            sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1
        ),
    )
    return result


def _virtuoso(size: str, data: Path, args: dict) -> dict:
    from bench import virtuoso_server

    directory = synth.WORK / "virtuoso" / size
    shutil.rmtree(directory, ignore_errors=True)
    with virtuoso_server.server(directory) as instance:
        with measure.Sampler(instance.process.pid) as loading:
            loaded = virtuoso_server.load(instance, data)
        with measure.Sampler(instance.process.pid) as serving:
            result = _worker(
                "remote",
                {**args, "endpoint": instance.sparql, "max_rows": virtuoso_server.MAX_ROWS},
            )
    result.update(
        virtuoso_load_s=loaded.seconds,
        client_load_peak_rss_mb=loaded.peak_rss_mb,
        server_load_peak_rss_mb=loading.peak_mb,
        server_query_peak_rss_mb=serving.peak_mb,
        server_start_s=round(instance.started_in, 2),
        virtuoso_version=virtuoso_server.version(),
    )
    return result


def compare(size: str, results: dict[str, dict]) -> dict[str, dict[str, list[str]]]:
    """For each store, the items whose answers differ, with a few lines saying how: an
    item is compared with Oxigraph in memory's answer, a variant with its own store's
    answer to the item it varies."""
    bases = {item.name: item.base for item in items("all")}
    found: dict[str, dict[str, list[str]]] = {}
    for store, result in results.items():
        for name, got in result.get("items", {}).items():
            base = bases.get(name, "")
            if base and store in ("memory", "disk"):
                reference_store, reference_name = store, base
            elif base:  # a rewrite asked of another store: Oxigraph in memory's answer
                reference_store, reference_name = "memory", base
            elif store != "memory":
                reference_store, reference_name = "memory", name
            else:
                continue
            expected = results.get(reference_store, {}).get("items", {}).get(reference_name, {})
            if "digest" in got and "digest" in expected and got["digest"] != expected["digest"]:
                found.setdefault(store, {})[name] = differences(
                    answer_file(ANSWERS / size / reference_store, reference_name),
                    answer_file(ANSWERS / size / store, name),
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(synth.SIZES))
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--repeats", type=int, default=5, help="Timed runs per query.")
    parser.add_argument(
        "--load-runs",
        type=int,
        default=LOAD_RUNS,
        help="Timed on-disk loads (each beside pyoxigraph's own); 1 when only the "
        "queries are wanted.",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="Write the report from the results kept under bench/work/.",
    )
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="Print the report; do not append it to bench/RESULTS.md.",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes.split(",")
    stores = args.stores.split(",")
    if not args.report_only:
        _measure(sizes, stores, args.repeats, args.load_runs)
    data = _collect(sizes, stores)
    text = report.render(data)
    print(text)
    if not args.no_record:
        report.record(text)
    return 0


def _measure(sizes: list[str], stores: list[str], repeats: int, load_runs: int) -> None:
    from tqdm import tqdm

    tasks = [(size, store) for size in sizes for store in stores]
    for size, store in tqdm(tasks, desc="stores × sizes", unit="run", file=sys.stderr):
        meta = synth.ensure(synth.SIZES[size])
        result = measure_store(store, size, Path(meta.path), repeats, load_runs)
        result["measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        out = RESULTS / size / f"{store}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")


def _collect(sizes: list[str], stores: list[str]) -> dict:
    data: dict = {"sizes": {}}
    one_piece = synth.WORK / "onepiece" / "synth-2m.json"  # see synth.py's docstring
    if one_piece.is_file():
        data["one_piece"] = json.loads(one_piece.read_text())
    for size in sizes:
        meta = synth.ensure(synth.SIZES[size], quiet=True)
        results = {}
        for store in stores:
            path = RESULTS / size / f"{store}.json"
            if path.is_file():
                results[store] = json.loads(path.read_text())
        data["sizes"][size] = {
            "synth": meta.__dict__,
            "stores": results,
            "differences": compare(size, results),
        }
    return data


if __name__ == "__main__":
    sys.exit(main())
