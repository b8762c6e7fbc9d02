"""The stores benchmark as Markdown: data, loads, latencies, ratios, targets, growth.

Written from the raw results stores.py keeps, so it can be rendered again without
measuring. Medians are in milliseconds with the 90th percentile in brackets. Growth is
the slope of log(time) against log(triples): 1 means linear, 0 constant; it is given
over all sizes and over the last step (200k → 2M), where fixed costs no longer hide it.
"""

from __future__ import annotations

import math
import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psutil

from bench.workload import LOOKUPS

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Appended by the scripts in bench/; each section says when and on what it ran.\n"
)
LABELS = {
    "memory": "Oxigraph memory",
    "disk": "Oxigraph disk",
    "virtuoso": "Virtuoso",
    "rdflib": "rdflib",
}
TARGET_SIZE = "2m"
#: Every saved query at 2M in memory: its median at most this, and at most this many
#: times Virtuoso's on the same query (issue 23).
PACE_MS = 250
PACE_VS_VIRTUOSO = 1.5
#: The result keys that hold each store's load time and peak memory.
LOAD_KEYS = {
    "memory": "load_s",
    "disk": "disk_load_s",
    "virtuoso": "virtuoso_load_s",
    "rdflib": "load_s",
}
RSS_KEYS = {
    "memory": "process_peak_rss_mb",
    "disk": "disk_load_peak_rss_mb",
    "virtuoso": "server_load_peak_rss_mb",
    "rdflib": "process_peak_rss_mb",
}


def render(data: dict) -> str:
    sizes = data["sizes"]
    parts = [
        f"## Stores at scale (bench/stores.py) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        machine(),
        _data_table(sizes, data.get("one_piece")),
        _load_table(sizes),
    ]
    parts += [_query_table(size, entry) for size, entry in sizes.items()]
    parts += [_variant_table(sizes), _targets(sizes), _growth(sizes), _differences(sizes)]
    return "\n\n".join(p for p in parts if p) + "\n"


def record(text: str) -> None:
    """Append to bench/RESULTS.md (created with a short header if absent)."""
    if not RESULTS.exists():
        RESULTS.write_text(HEADER, encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n" + text)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("pyoxigraph", "rdflib", "SPARQLWrapper", "flgraph")
    )
    from bench.virtuoso_server import version as virtuoso

    return (
        f"Machine: {os.cpu_count()} cores ({cpu}), "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {libraries}; "
        f"Virtuoso {virtuoso()} (Debian). Each measurement in a process of its own; "
        "peak RSS sampled with psutil (50 ms) and checked against wait4's ru_maxrss. "
        "Queries: each saved query with the parameters of testbed/expected.py and two "
        "resource pages (resource-description + resource-evidence), one full warm-up "
        "(its answer compared across stores), then 5 runs each in random order, read up "
        "to the app's row limit (10,000 rows) as served; every query stopped after 30 s "
        "(rdflib at 2M: 10 s, and as many of the 5 runs as fit in 10 s after its "
        "warm-up, at least one)."
    )


def _data_table(sizes: dict, one_piece: dict | None) -> str:
    rows = [
        "| size | triples | graphs | outcomes | built in | build peak RSS | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for size, entry in sizes.items():
        s = entry["synth"]
        note = (
            "reference trimmed to the member States used, no ontology graph"
            if s["trimmed"]
            else f"{s['chunks']} extract+model chunk(s)"
        )
        rows.append(
            f"| {size} | {s['triples']:,} | {s['graphs']} | {s['outcomes']} | "
            f"{sum(s['seconds'].values()):.1f} s | {s['peak_rss_mb']:,.0f} MB | {note} |"
        )
    text = "Data (bench/synth.py, seed 20131):\n\n" + "\n".join(rows)
    if one_piece:
        text += (
            f"\n\nThe same {one_piece['triples']:,} triples built in one piece (all "
            f"outcomes through extract + model at once): "
            f"{sum(one_piece['seconds'].values()):.0f} s, peak RSS "
            f"{one_piece['peak_rss_mb']:,.0f} MB, and a byte-identical TriG file."
        )
    return text


def _load_table(sizes: dict) -> str:
    rows = [
        "| size | Oxigraph memory: parse+load (peak RSS) | Oxigraph disk: `flgraph load` "
        "(peak RSS, store size) | disk: restart → first answer (open + first query) | "
        "Virtuoso: `flgraph load` (server peak RSS) | rdflib: parse (peak RSS) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for size, entry in sizes.items():
        st = entry["stores"]
        cells = [size]
        m = st.get("memory")
        cells.append(f"{m['load_s']:.2f} s ({m['process_peak_rss_mb']:,.0f} MB)" if m else "–")
        d = st.get("disk")
        cells.append(
            f"{d['disk_load_s']:.2f} s ({d['disk_load_peak_rss_mb']:,.0f} MB, "
            f"{d['disk_store_mb']:,.0f} MB)"
            if d
            else "–"
        )
        cells.append(
            f"{d['restart_to_first_answer_s']:.2f} s ({d['open_s'] * 1000:.0f} + "
            f"{d['first_query_s'] * 1000:.0f} ms)"
            if d
            else "–"
        )
        v = st.get("virtuoso")
        if v:
            server = max(v["server_load_peak_rss_mb"], v["server_query_peak_rss_mb"])
            cells.append(f"{v['virtuoso_load_s']:.2f} s ({server:,.0f} MB)")
        else:
            cells.append("–")
        r = st.get("rdflib")
        cells.append(f"{r['load_s']:.2f} s ({r['process_peak_rss_mb']:,.0f} MB)" if r else "–")
        rows.append("| " + " | ".join(cells) + " |")
    loads = [
        r["loadavg_before"]
        for e in sizes.values()
        for r in e["stores"].values()
        if "loadavg_before" in r
    ]
    note = (
        f"\n\nOther work on the machine: the 1-minute load average before each measurement "
        f"was {min(loads):.1f}–{max(loads):.1f} (on {os.cpu_count()} cores)."
        if loads
        else ""
    )
    return (
        "Load and memory (peak RSS of the process doing the work):\n\n"
        + "\n".join(rows)
        + note
        + _disk_loads(sizes)
    )


def _disk_loads(sizes: dict) -> str:
    """Every timed on-disk load beside pyoxigraph's own (bench/oxigraph_load.py)."""
    lines = []
    for size, entry in sizes.items():
        d = entry["stores"].get("disk")
        if not d or "disk_floor_runs" not in d:
            continue
        floors = d["disk_floor_runs"]
        lines.append(
            f"- {size}: `flgraph load` "
            + ", ".join(f"{s:.2f}" for s in d["disk_load_runs_s"])
            + " s; pyoxigraph alone "
            + ", ".join(
                f"{f['process_s']:.2f} ({f['bulk_load_s']:.1f} + {f['optimize_s']:.1f})"
                for f in floors
            )
            + f" s; medians {d['disk_load_s']:.2f} against {d['disk_floor_s']:.2f} s, "
            f"×{d['disk_load_s'] / d['disk_floor_s']:.2f}"
        )
    if not lines:
        return ""
    return (
        "\n\nThe on-disk load, each run beside pyoxigraph's own bulk load of the same file "
        "in a bare process (bench/oxigraph_load.py: `bulk_load` + `optimize`, in "
        "parentheses), alternating which goes first; the table shows the median:\n\n"
        + "\n".join(lines)
    )


def _cell(result: dict | None) -> str:
    if not result:
        return "–"
    if "timeout_s" in result:
        return f"> {result['timeout_s']:g} s"
    if "oom_mb" in result:
        return f"> {result['oom_mb'] / 1000:g} GB RSS"
    if "error" in result:
        return "error"
    if "median_ms" not in result:
        return "–"
    return f"{_ms(result['median_ms'])} ({_ms(result['p90_ms'])})"


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _median(entry: dict, store: str, item: str) -> float | None:
    result = entry["stores"].get(store, {}).get("items", {}).get(item, {})
    if "timeout_s" in result or "oom_mb" in result:
        return math.inf
    return result.get("median_ms")


def _names(entry: dict, variants: bool = False) -> list[str]:
    names: dict[str, None] = {}
    for result in entry["stores"].values():
        for name in result.get("items", {}):
            if ("[" in name) == variants:
                names.setdefault(name)
    return list(names)


def _query_table(size: str, entry: dict) -> str:
    stores = [s for s in LABELS if s in entry["stores"]]
    head = [
        "query",
        *(LABELS[s] for s in stores),
        "rows",
        "rdflib ÷ Oxigraph memory",
        *(["Oxigraph memory ÷ Virtuoso"] if {"memory", "virtuoso"} <= set(stores) else []),
        "same answers",
    ]
    rows = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 2) + "|---|"]
    differing = entry["differences"]
    for name in _names(entry):
        cells = [name]
        cells += [_cell(entry["stores"][s]["items"].get(name)) for s in stores]
        reference = entry["stores"].get("memory", {}).get("items", {}).get(name, {})
        cells.append(f"{reference.get('rows', '–'):,}" if "rows" in reference else "–")
        cells.append(
            _ratio(
                _median(entry, "rdflib", name),
                _median(entry, "memory", name),
                _deadline_ms(entry, name),
            )
        )
        if {"memory", "virtuoso"} <= set(stores):
            cells.append(
                _ratio(_median(entry, "memory", name), _median(entry, "virtuoso", name))
            )
        cells.append(
            ", ".join(f"not on {LABELS[s]}" for s in stores if name in differing.get(s, {}))
            or "yes"
        )
        rows.append("| " + " | ".join(cells) + " |")
    triples = entry["synth"]["triples"]
    return f"Query latency at {size} ({triples:,} triples), ms, median (p90):\n\n" + "\n".join(rows)


def _deadline_ms(entry: dict, name: str) -> float:
    result = entry["stores"].get("rdflib", {}).get("items", {}).get(name, {})
    return result.get("timeout_s", 30) * 1000


def _ratio(slow: float | None, fast: float | None, limit: float = 30_000) -> str:
    """slow ÷ fast; when slow did not finish, ``limit`` (its deadline, ms) ÷ fast is the
    lower bound."""
    if slow is None or not fast or math.isinf(fast):
        return "–"
    if math.isinf(slow):
        return "> " + f"{limit / fast:,.0f}×"
    return f"{slow / fast:,.2f}×" if slow < fast * 10 else f"{slow / fast:,.1f}×"


def _variant_table(sizes: dict) -> str:
    stores = ("memory", "disk", "virtuoso")
    head = "| size | variant | " + " | ".join(f"{LABELS[s]} | as saved" for s in stores) + " |"
    rows = [head, "|---|---|" + "---:|" * 2 * len(stores)]
    for size, entry in sizes.items():
        for name in _names(entry, variants=True):
            base = name.split(" [")[0]
            cells = [size, name]
            for store in stores:
                items = entry["stores"].get(store, {}).get("items", {})
                cells += [_cell(items.get(name)), _cell(items.get(base))]
            rows.append("| " + " | ".join(cells) + " |")
    return (
        "The same questions asked another way, answers checked equal (ms, median (p90)): "
        "`[substitution]` lets pyoxigraph bind the parameters (`substitutions=`) instead "
        "of the VALUES block the store now writes; `[as before: …]` is a saved query as "
        "it read before it was rewritten for speed (bench/workload.py, REWRITES).\n\n"
        + "\n".join(rows)
    )


def _targets(sizes: dict) -> str:
    entry = sizes.get(TARGET_SIZE)
    if not entry or "memory" not in entry["stores"]:
        return "Targets: not evaluated (no 2M measurement in this run)."
    lines = ["| target | measured | met? |", "|---|---|---|"]
    for store in ("memory", "disk"):
        if store not in entry["stores"]:
            continue
        saved = [n for n in _names(entry) if not n.startswith("page:")]
        slow = {n: _median(entry, store, n) for n in saved}
        over = {n: v for n, v in slow.items() if v is None or v > 1000}
        worst = max(slow, key=lambda n: slow[n] or math.inf)
        lines.append(
            f"| {LABELS[store]}: every saved query median ≤ 1 s | worst {worst}: "
            f"{_cell(entry['stores'][store]['items'].get(worst))} ms; over: "
            f"{', '.join(over) or 'none'} | {_yes(not over)} |"
        )
        if store == "memory":
            lines += _pace(entry, saved)
        looks = [n for n in _names(entry) if n.split("?")[0] in LOOKUPS]
        values = {n: _median(entry, store, n) for n in looks}
        over = {n: v for n, v in values.items() if v is None or v > 20}
        lines.append(
            f"| {LABELS[store]}: look-ups median ≤ 20 ms | "
            + "; ".join(f"{n} {_cell(entry['stores'][store]['items'].get(n))}" for n in looks)
            + f" | {_yes(not over)} |"
        )
    for size in ("200k", TARGET_SIZE):
        if "rdflib" not in sizes.get(size, {}).get("stores", {}):
            continue
        e = sizes[size]
        below = []
        for n in _names(e):
            slow, fast = _median(e, "rdflib", n), _median(e, "memory", n)
            if slow is not None and fast and not math.isinf(fast) and slow / fast < 10:
                below.append(f"{n} {_ratio(slow, fast, _deadline_ms(e, n))}")
        lines.append(
            f"| Oxigraph memory ≥ 10× faster than rdflib on every query, at {size} | "
            f"below 10×: {', '.join(below) or 'none'} | {_yes(not below)} |"
        )
    disk = entry["stores"].get("disk")
    if disk:
        lines.append(
            f"| 2M triples into on-disk Oxigraph ≤ 20 s | {disk['disk_load_s']:.1f} s"
            + (
                f" (median of {len(disk['disk_load_runs_s'])}: "
                f"{min(disk['disk_load_runs_s']):.1f}–{max(disk['disk_load_runs_s']):.1f} s;"
                f" pyoxigraph's own bulk load {disk['disk_floor_s']:.1f} s)"
                if "disk_floor_s" in disk
                else ""
            )
            + f" | {_yes(disk['disk_load_s'] <= 20)} |"
        )
        lines.append(
            f"| on-disk store serves after a restart ≤ 2 s | process start → first "
            f"answer {disk['restart_to_first_answer_s']:.2f} s (open "
            f"{disk['open_s']:.2f} s + first query {disk['first_query_s']:.3f} s) | "
            f"{_yes(disk['restart_to_first_answer_s'] <= 2)} |"
        )
    checked = [s for s, e in sizes.items() if "virtuoso" in e["stores"]]
    if not checked:  # Virtuoso not in this run: nothing to say of its answers
        return f"Targets at {TARGET_SIZE} ({entry['synth']['triples']:,} triples):\n\n" + (
            "\n".join(lines)
        )
    differ = {s: sorted(sizes[s]["differences"].get("virtuoso", {})) for s in checked}
    failed = {
        s: [
            n
            for n, r in sizes[s]["stores"]["virtuoso"]["items"].items()
            if "digest" not in r or r.get("truncated")
        ]
        for s in checked
    }
    bad = {s: differ[s] + failed[s] for s in checked if differ[s] or failed[s]}
    lines.append(
        f"| Virtuoso gives Oxigraph's answers at every size ({', '.join(checked)}) | "
        + ("; ".join(f"{s}: {', '.join(v)}" for s, v in bad.items()) or "identical")
        + f" | {_yes(not bad and bool(checked))} |"
    )
    return f"Targets at {TARGET_SIZE} ({entry['synth']['triples']:,} triples):\n\n" + "\n".join(
        lines
    )


def _pace(entry: dict, saved: list[str]) -> list[str]:
    """The speed targets of the saved queries in memory: each median ≤ ``PACE_MS``, and
    no slower than Virtuoso's own endpoint on the same query × ``PACE_VS_VIRTUOSO``."""
    items = entry["stores"]["memory"]["items"]
    times = {n: _median(entry, "memory", n) for n in saved}
    over = [n for n, v in times.items() if v is None or v > PACE_MS]
    lines = [
        f"| Oxigraph memory: every saved query median ≤ {PACE_MS} ms | "
        + ("; ".join(f"{n} {_cell(items.get(n))}" for n in over) or "none over")
        + f" | {_yes(not over)} |"
    ]
    if "virtuoso" not in entry["stores"]:
        return lines
    ratios = {
        n: times[n] / v
        for n in saved
        if (v := _median(entry, "virtuoso", n)) and times[n] is not None
    }
    slower = [n for n, r in ratios.items() if r > PACE_VS_VIRTUOSO]
    worst = max(ratios, key=ratios.get)
    lines.append(
        f"| Oxigraph memory ≤ {PACE_VS_VIRTUOSO}× Virtuoso on every saved query | worst "
        f"{worst} {ratios[worst]:.2f}×; over: {', '.join(slower) or 'none'} | "
        f"{_yes(not slower)} |"
    )
    return lines


def _yes(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _growth(sizes: dict) -> str:
    order = [s for s in sizes if sizes[s]["stores"]]
    if len(order) < 2:
        return ""
    triples = {s: sizes[s]["synth"]["triples"] for s in order}
    stores = [s for s in LABELS if any(s in sizes[x]["stores"] for x in order)]
    head = ["query", *(LABELS[s] for s in stores)]
    rows = ["| " + " | ".join(head) + " |", "|---" + "|---:" * len(stores) + "|"]
    for label, key in (("load", LOAD_KEYS), ("peak RSS", RSS_KEYS)):
        cells = [f"*{label}*"]
        for store in stores:
            points = [
                (triples[s], sizes[s]["stores"].get(store, {}).get(key[store])) for s in order
            ]
            cells.append(_slopes([(x, y) for x, y in points if y]))
        rows.append("| " + " | ".join(cells) + " |")
    names: dict[str, None] = {}
    for s in order:
        names.update(dict.fromkeys(_names(sizes[s])))
    for name in names:
        cells = [name]
        for store in stores:
            points = [(triples[s], _median(sizes[s], store, name)) for s in order]
            points = [(x, y) for x, y in points if y and not math.isinf(y)]
            cells.append(_slopes(points))
        rows.append("| " + " | ".join(cells) + " |")
    return (
        "Growth with size: log-log slope of the median, all sizes / last step (1 = linear, "
        "0 = constant):\n\n" + "\n".join(rows)
    )


def _slopes(points: list[tuple[float, float]]) -> str:
    if len(points) < 2:
        return "–"
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return f"{slope:.2f} / {last:.2f}"


def _differences(sizes: dict) -> str:
    lines = []
    for size, entry in sizes.items():
        for store, items in entry["differences"].items():
            for name, how in items.items():
                lines.append(f"- {size}, {LABELS[store]}, {name}:")
                lines += [f"  - `{line}`" for line in how[:7]]
    if not lines:
        return "Answers: identical on every store at every size measured."
    return "Answers that differ from Oxigraph in memory's:\n\n" + "\n".join(lines)
