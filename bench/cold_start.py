"""Cold start and memory of ``flgraph serve``, per process.

Targets: from ``flgraph serve`` to the first correct answer ≤ 0.5 s on the report data
(issue 23: a ``/sparql`` look-up true only on the real data, never an empty or partial
store), and to the first 200 of ``/`` ≤ 1.5 s on the report data and ≤ 3 s on a 2M-triple
on-disk store (no reload); no reader pays a cold first page once the server has warmed up
(each web process warms its pages in the background: the slowest of the warmed pages,
asked over fresh connections so that every web process answers some, 3 s after the
first page); peak memory ≤ 150 MB per process on the report data and ≤ 500 MB on the
2M-triple on-disk store.

    python bench/cold_start.py [--disk bench/work/stores/oxigraph-2m] [--runs 5]

Both cases in one run, each started ``--runs`` times with its defaults (2 web workers
under gunicorn, query worker processes holding the store): (a) the report data in the
memory store, (b) an on-disk Oxigraph store that ``flgraph load`` filled (bench/stores.py
leaves one for each size), opened read-only, never reloaded. A start is timed from the
launch of the command to the first correct answer, then to the first 200 of ``/``; then
the warmed pages are asked for, and every kind of page is visited three times, so that
each process has done its work. Memory is sampled every 50 ms from launch to stop, per
process, and reported by role — the HTTP server's main process, the web processes it
forks, the engine's processes (supervisor, generation, query workers), multiprocessing's
resource tracker — because the target is per process, and a total would hide which one
is large.

The page cache is warm after the first start (the files were read moments before), which
is what a restart of a running machine sees; the first start is shown apart. So is
Python's compiled bytecode: the servers started here may write it (common.py,
``server_environment``), as an installed package has it. With
``--drop-caches`` (root only) every start is also measured once from an emptied page
cache (``/proc/sys/vm/drop_caches``), as after a reboot: the interpreter, the packages
and the data are then read from disk.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import requests

from bench.common import (
    ROOT,
    first_correct_answer,
    free_port,
    record,
    server_environment,
    stop_process,
)

WORK = Path(__file__).resolve().parent / "work"
DISK = WORK / "stores" / "oxigraph-2m"
PAGES = [
    "/",
    "/queries/",
    "/queries/table-1",
    "/queries/country-profile?country=country/ZMB",
    "/id/country/ZMB",
    "/id/result/15.1/ZMB",
    "/sparql?query=ASK%7B%7D",
    "/validation",
    "/download/",
]
#: Pages that read the whole dataset on every first visit (the SHACL report; the dump
#: sizes): at 2M triples they take minutes, which is their own benchmark's business
#: (bench/validation.py), not a start's.
WHOLE_DATASET = ("/validation", "/download/")
#: what each web process warms before its first reader (web/warm.py), a resource page among
#: them
WARMED = ["/", "/queries/", "/queries/table-1", "/ontology", "/sparql", "/id/outcome/15"]
WARM_UP_SECONDS = 3.0
ROLES = ("main", "web process", "engine", "query worker", "resource tracker")
INTERVAL = 0.05


def role(process: psutil.Process, root: int) -> str:
    if process.pid == root:
        return "main"
    line = " ".join(process.cmdline())
    if "flgraph.query.engine.server" in line:
        return "engine"
    if "resource_tracker" in line:
        return "resource tracker"
    if "spawn_main" in line or "multiprocessing" in line:
        return "query worker"
    return "web process"


class Peaks:
    """Peak RSS of each process of a server, sampled in a thread from its launch."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(self.pid)
                for process in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        rss = process.memory_info().rss
                        kind = role(process, self.pid)
                        before = self.peak.get(process.pid, (kind, 0))[1]
                        self.peak[process.pid] = (kind, max(rss, before))
            self._stop.wait(INTERVAL)

    def stop(self) -> dict[str, list[float]]:
        """Peak MB of each process, by role."""
        self._stop.set()
        self._thread.join()
        by_role: dict[str, list[float]] = {}
        for kind, rss in self.peak.values():
            by_role.setdefault(kind, []).append(rss / 2**20)
        return by_role


@dataclass
class Start:
    answer: float  # seconds from launch to the first correct /sparql answer
    page: float  # ... to the first 200 of /
    warmed_ms: float  # the slowest warmed page over fresh connections, once warm
    peaks: dict[str, list[float]]
    statuses: list[int]


def one_start(args: list[str], pages: list[str], source: Path | None = None) -> Start:
    """Launch, time the first correct answer and the first 200 of ``/``, ask for the
    warmed pages, visit every page, stop; with the peaks. (Not common.Server: the
    sampling must begin at launch, before the first answer.) ``source``: another
    version's ``src`` directory to run instead of this one (a baseline)."""
    port = free_port()
    env = server_environment(source)
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "flgraph", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peaks = Peaks(process.pid)
    statuses: list[int] = []
    try:
        answer = first_correct_answer(url, started, process)
        page = _first_200(url + "/", started, process)
        time.sleep(WARM_UP_SECONDS)
        warmed = _slowest_warmed_page(url)
        for _ in range(3):
            for each in pages:
                statuses.append(requests.get(url + each, timeout=120).status_code)
        time.sleep(0.3)  # one more sample after the last answer
    finally:
        stop_process(process)
    return Start(answer, page, warmed, peaks.stop(), statuses)


def _slowest_warmed_page(url: str, connections: int = 4) -> float:
    """Milliseconds of the slowest warmed page, each asked over ``connections`` fresh
    connections (so that each web process answers some)."""
    slowest = 0.0
    for page in WARMED:
        for _ in range(connections):
            asked = time.perf_counter()
            requests.get(url + page, timeout=120,
                         headers={"Accept": "text/html", "Connection": "close"})
            slowest = max(slowest, (time.perf_counter() - asked) * 1000)
    return slowest


def _first_200(url: str, started: float, process: subprocess.Popen) -> float:
    while time.perf_counter() - started < 120:
        if process.poll() is not None:
            raise RuntimeError(f"flgraph serve exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.01)
    raise RuntimeError("flgraph serve did not answer / with 200 in 120 s")


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def drop_page_cache() -> None:
    """Empty the kernel's page cache, as after a reboot (needs root)."""
    subprocess.run(["sync"], check=True)
    DROP_CACHES.write_text("3\n")


def measure(label: str, args: list[str], runs: int, pages: list[str],
            cold: bool = False, source: Path | None = None) -> dict:
    return measure_side_by_side([(label, source)], args, runs, pages, cold)[0]


def measure_side_by_side(variants: list[tuple[str, Path | None]], args: list[str],
                         runs: int, pages: list[str], cold: bool = False) -> list[dict]:
    """Each variant (a label, the ``src`` it runs or None for this one) started ``runs``
    times, the variants' starts alternating: the speed of this machine drifts over the
    minutes of a run (the same code's median first answer went from 0.56 s to 0.68 s
    within an hour), and alternation lays the drift on every variant alike."""
    starts: dict[str, list[Start]] = {label: [] for label, _ in variants}
    for _ in range(runs):
        for label, source in variants:
            if cold:
                drop_page_cache()
            starts[label].append(one_start(args, pages, source))
    return [_summary(label, starts[label]) for label, _ in variants]


def _summary(label: str, starts: list[Start]) -> dict:
    peaks: dict[str, list[float]] = {}
    for start in starts:
        for kind, values in start.peaks.items():
            peaks.setdefault(kind, []).extend(values)
    return {"label": label, "starts": [s.page for s in starts],
            "answers": [s.answer for s in starts], "warmed": [s.warmed_ms for s in starts],
            "peaks": peaks, "non_200": sum(1 for s in starts for code in s.statuses
                                           if code != 200)}


def table(result: dict, start_limit: float, memory_limit: float,
          answer_limit: float | None = None) -> str:
    starts = result["starts"]
    later = starts[1:] or starts
    median = statistics.median(later)
    answers = result["answers"][1:] or result["answers"]
    answer = statistics.median(answers)
    warmed = statistics.median(result["warmed"])
    rows = [
        f"**{result['label']}** — {len(starts)} starts; first 200 of `/` after launch: "
        f"first start {starts[0]:.2f} s, later starts median {median:.2f} s "
        f"({min(later):.2f}–{max(later):.2f}); first correct answer (later starts) median "
        f"{answer:.2f} s ({min(answers):.2f}–{max(answers):.2f}); pages other than 200: "
        f"{result['non_200']}.",
        "",
        "| measure | value | target | |",
        "|---|---:|---:|---|",
    ]
    if answer_limit is not None:
        rows.append(f"| first correct answer (`/sparql`, later starts, median) | {answer:.2f} s"
                    f" | ≤ {answer_limit:g} s | {_met(answer <= answer_limit)} |")
    rows += [
        f"| cold start: first 200 of `/` (later starts, median) | {median:.2f} s | "
        f"≤ {start_limit:g} s | {_met(median <= start_limit)} |",
        f"| slowest warmed page {WARM_UP_SECONDS:g} s after the first, fresh connections "
        f"(median of starts; worst {max(result['warmed']):.0f} ms) | {warmed:.0f} ms | "
        "no cold first page (340–420 ms before) | |",
    ]
    for kind in ROLES:
        values = result["peaks"].get(kind)
        if not values:
            continue
        per_start = len(values) // len(starts)
        rows.append(
            f"| peak RSS, {kind} ({per_start} per start), largest | {max(values):.0f} MB | "
            f"≤ {memory_limit:g} MB | {_met(max(values) <= memory_limit)} |"
        )
    return "\n".join(rows)


def _ratios(now: dict, before: dict) -> str:
    def median(result: dict, key: str) -> float:
        return statistics.median(result[key][1:] or result[key])

    return ("After ÷ before (medians of the later starts): first correct answer "
            f"{median(now, 'answers') / median(before, 'answers'):.2f}×, first 200 of `/` "
            f"{median(now, 'starts') / median(before, 'starts'):.2f}×, slowest warmed page "
            f"{statistics.median(now['warmed']) / statistics.median(before['warmed']):.2f}×.")


def cold_table(result: dict) -> str:
    """Starts from an emptied page cache: for information, every start alike."""
    starts = result["starts"]
    return (f"**{result['label']}** — {len(starts)} starts; first 200 of `/` after launch: "
            f"median {statistics.median(starts):.2f} s ({min(starts):.2f}–{max(starts):.2f}); "
            f"pages other than 200: {result['non_200']}.")


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disk", type=Path, default=DISK, help="An on-disk Oxigraph store.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--drop-caches", action="store_true",
                        help="Also time starts from an emptied page cache (root only).")
    parser.add_argument("--before", type=Path, metavar="SRC",
                        help="Another version's src directory (e.g. `git archive` of an "
                        "earlier commit): its report-data starts are the baseline, same run.")
    args = parser.parse_args(argv)
    label = "Report data, memory store (default)"
    if args.before:
        now, before = measure_side_by_side(
            [(label, None), (f"Report data, memory store, before ({args.before}), its "
                             "starts alternating with those above", args.before)],
            [], args.runs, PAGES)
        parts = [table(now, 1.5, 150, answer_limit=0.5),
                 table(before, 1.5, 150, answer_limit=0.5), _ratios(now, before)]
    else:
        now = measure(label, [], args.runs, PAGES)
        parts = [table(now, 1.5, 150, answer_limit=0.5)]
    if args.drop_caches:
        parts.append(cold_table(measure("Report data, memory store, page cache emptied "
                                        "before each start", [], args.runs, PAGES, cold=True)))
    if args.disk.is_dir():
        label = f"On-disk Oxigraph store {args.disk.name} (`--store oxigraph:PATH`, no reload)"
        spec = ["--store", f"oxigraph:{args.disk}"]
        pages = [p for p in PAGES if p not in WHOLE_DATASET]
        result = measure(label, spec, args.runs, pages)
        parts.append(
            table(result, 3.0, 500) + f"\n\nPages visited: all but {', '.join(WHOLE_DATASET)}."
        )
        if args.drop_caches:
            label += ", page cache emptied before each start"
            parts.append(cold_table(measure(label, spec, args.runs, pages, cold=True)))
    else:
        parts.append(f"No on-disk store at {args.disk}: run bench/stores.py first.")
    text = (
        "`flgraph serve` with its defaults (2 web processes under granian, the engine and "
        "its query workers), launched by this script; peak RSS sampled every 50 ms per "
        "process from launch to stop, while every kind of page was visited 3 times.\n\n"
        + "\n\n".join(parts)
    )
    print(text)
    if not args.no_record:
        record("Cold start and memory per process (bench/cold_start.py)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
