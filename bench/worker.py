"""One store, one size, in its own process: load or open it, then time the workload.

    python -m bench.worker TASK '{"data": …, "answers": …, "repeats": 5, …}'

Tasks: ``oxigraph-memory`` (parse the TriG and load it), ``oxigraph-disk`` (open a store
that ``flgraph load`` filled, as ``serve`` opens it after a restart, and answer a first
query), ``rdflib`` (parse into an rdflib Dataset), ``remote`` (a SPARQL endpoint). The
last stdout line is a JSON report; answers go to files under ``answers`` for comparison.

Timing: every item once in full as a warm-up (its answer is the one compared; its time
is reported as ``full_ms``), then ``repeats`` runs of every item (with a ``budget_s``,
as many of them as the warm-up says fit in it, at least one) in a random order (a
fixed seed), so that no query always follows the same other one and caches favour none,
each read up to the app's row limit (``Limits.row_limit``, 10,000): what a page, a
download or an endpoint request costs when served. After each, untimed, the allocator is
settled (flgraph.query.allocator), as the app's query worker does once an answer is sent:
otherwise the next query pays for sorting the blocks a large answer freed. An item whose
warm-up passes the deadline is reported as timed out and not run again.

Deadlines: rdflib's queries are stopped by SIGALRM (they run in Python); a query inside
pyoxigraph may not come back to Python for minutes, so the parent (stores.py) watches
the ``now`` file this worker writes before each query and kills the process when one
runs too long; it then starts the worker again, which finds in ``state.json`` the
warm-ups done so far (and the first attempt's load figures) and skips the query that
timed out.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from pathlib import Path

from bench.engines import QueryTimeout, RdflibEngine, StoreEngine, deadline
from bench.measure import summary
from bench.workload import Item, answer_file, canonical, items
from flgraph.config import Limits
from flgraph.query.allocator import settle

FIRST = "country-profile?country=country/ZMB"


def main(task: str, args: dict) -> dict:
    state = State(Path(args["state"]))
    report: dict = {"task": task}
    started = time.perf_counter()
    engine = _open(task, args, report)
    report["load_s"] = round(time.perf_counter() - started, 3)
    report["load_peak_rss_mb"] = _peak_mb()
    state.first_load(report)
    report["items"] = time_items(engine, items(args.get("variants", "")), args, state)
    report["peak_rss_mb"] = _peak_mb()
    return {**report, **state.data["load"], "attempts": state.data["attempts"]}


class State:
    """What survives a restart: the first attempt's load figures, the warm-ups done, the
    query running now (``now``: its name and start time, read by the parent)."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "state.json"
        self.now = directory / "now"
        self.data = (
            json.loads(self.path.read_text())
            if self.path.is_file()
            else {"load": {}, "items": {}, "attempts": 0}
        )
        self.data["attempts"] += 1

    def first_load(self, report: dict) -> None:
        if not self.data["load"]:
            self.data["load"] = {k: v for k, v in report.items() if k != "task"}
        self.save()

    def begin(self, name: str) -> None:
        self.now.write_text(f"{time.time()}\t{name}")

    def save(self) -> None:
        self.path.write_text(json.dumps(self.data))


def _open(task: str, args: dict, report: dict):
    from flgraph.store import open_store

    if task == "oxigraph-memory":
        from flgraph.rdfio import read_quads
        from flgraph.store.oxigraph import OxigraphStore

        started = time.perf_counter()
        quads = read_quads(Path(args["data"]))
        report["parse_s"] = round(time.perf_counter() - started, 3)
        store = OxigraphStore()
        store.load(quads)
        del quads
        return StoreEngine(store)
    if task == "oxigraph-disk":
        started = time.perf_counter()
        engine = StoreEngine(open_store(f"oxigraph:{args['store']}"))
        report["open_s"] = round(time.perf_counter() - started, 3)
        first = next(item for item in items() if item.name == FIRST)
        engine.execute(first)
        report["first_answer_at"] = time.time()
        report["first_query_s"] = round(time.perf_counter() - started - report["open_s"], 3)
        return engine
    if task == "rdflib":
        return RdflibEngine(Path(args["data"]))
    if task == "remote":
        from flgraph.store.remote import RemoteStore

        # the whole answer, however long it takes up to the deadline: Virtuoso's "anytime"
        # mode would send part of it, flagged, and the comparison would be of parts
        store = RemoteStore(
            args["endpoint"],
            timeout=args.get("timeout", 60.0),
            server_max_rows=args.get("max_rows"),
            server_timeout=False,
        )
        return StoreEngine(store)
    raise SystemExit(f"unknown task {task}")


def time_items(engine, todo: list[Item], args: dict, state: State) -> dict:
    """The full answer once (saved for comparison; also the warm-up), then ``repeats``
    shuffled runs of each item capped at the app's row limit, as the app asks them."""
    limit = args.get("timeout")
    alarm = limit if args.get("alarm") else None
    rows = args.get("row_limit", Limits().row_limit)
    answers = Path(args["answers"])
    out: dict[str, dict] = state.data["items"]
    for item in _bar([i for i in todo if i.name not in out], "warm-up"):
        if hasattr(engine, "prepare"):
            engine.prepare(item)
        try:
            state.begin(item.name)
            started = time.perf_counter()
            with deadline(alarm):
                raw = engine.execute(item)
            seconds = time.perf_counter() - started
        except QueryTimeout:
            out[item.name] = {"timeout_s": limit}
            state.save()
            continue
        except Exception as err:  # a store error is a result to report, not a crash
            message = " ".join(str(err).split())[:300]
            out[item.name] = {"timeout_s": limit} if "timed out" in message else {"error": message}
            state.save()
            continue
        answer = canonical(item, engine.results(raw), answer_file(answers, item.name))
        del raw
        settle()
        out[item.name] = {
            "rows": answer.rows,
            "digest": answer.digest,
            "truncated": answer.truncated,
            "full_ms": round(seconds * 1000, 2),
        }
        state.save()
    if hasattr(engine, "prepare"):
        for item in todo:
            engine.prepare(item)
    runs = [
        item
        for item in todo
        if "digest" in out[item.name] and "timeout_s" not in out[item.name]
        for _ in range(repeats(out[item.name]["full_ms"] / 1000, args))
    ]
    random.Random(args.get("seed", 7)).shuffle(runs)
    samples: dict[str, list[float]] = {}
    for item in _bar(runs, "timed runs"):
        state.begin(item.name)
        started = time.perf_counter()
        try:
            with deadline(alarm):
                engine.execute(item, rows)
        except QueryTimeout:
            out[item.name]["timeouts"] = out[item.name].get("timeouts", 0) + 1
            continue
        samples.setdefault(item.name, []).append(time.perf_counter() - started)
        settle()  # as the app's query worker does once its answer is sent
    for name, values in samples.items():
        out[name].update(summary(values))
    return out


def repeats(warm_up_s: float, args: dict) -> int:
    """``repeats`` timed runs, or with a ``budget_s`` as many as its warm-up says fit in
    it, at least one: a slow engine is not timed for hours, a fast query still is often
    enough for a median."""
    most = args.get("repeats", 5)
    budget = args.get("budget_s")
    if budget is None:
        return most
    return max(1, min(most, int(budget / max(warm_up_s, 1e-6))))


def _bar(things: list, what: str):
    from tqdm import tqdm

    return tqdm(things, desc=what, unit="query", file=sys.stderr, leave=False)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], json.loads(sys.argv[2]))))
