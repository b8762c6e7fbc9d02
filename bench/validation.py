"""Validation at scale: the fast engine (flgraph.validation.shacl) against pyshacl, the reference.

Target (issue: performance): validate the 200k- and 2M-triple synthetic data ≥ 10× faster
than pyshacl on the same shapes, with the same findings.

    python bench/validation.py [--sizes 200k 2m] [--cap-factor 12] [--min-cap 300]

Each engine validates each file in its own process (``flgraph.validation.validate.validate_quads``
on the file's quads, as ``flgraph validate --engine …`` does), so that its time and peak
memory are its own; both engines run in the same invocation, one after the other, on
the same shapes. pyshacl can take hours at 2M triples, so it runs under a cap:
``cap-factor`` × the fast engine's time, at least ``min-cap`` seconds. A pyshacl run that
is stopped at the cap gives an honest lower bound, "ratio ≥ cap / fast". Where pyshacl
finishes, both engines' findings are compared as multisets of (severity, focus, path,
component, value, message); where it does not at a size, the comparison is made on the
next smaller synthetic file (``--compare-on``), so the figures always say which data
the findings were checked on. A process that passes ``--rss-limit`` MB is stopped too:
the machine is shared and has no swap.

The synthetic files conform, so that comparing findings on them compares empty sets; each
size is therefore also validated mutated (``mutated``: totals off by one, provenance
removed, M49 codes cut to two digits, a listed member State put in every region but its
own, publications with a second year — a few of each, at the same places on every run),
and it is there that findings are compared in earnest.

Results go to bench/RESULTS.md ("Validation at scale").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
from testbed import synth

from bench.common import record
from bench.measure import Run, python, tree_rss

WORK = Path(__file__).resolve().parent / "work"
ENGINES = ("fast", "pyshacl")
TARGET_RATIO = 10
SEPARATOR = "|---|---:|---:|---|---:|---:|---:|---|"
HEADER = (
    "data (triples)",
    "fast engine",
    "peak RSS",
    "findings",
    "pyshacl",
    "peak RSS",
    "ratio",
    f"≥ {TARGET_RATIO}×",
)


def worker(engine: str, data: Path, findings_file: Path) -> None:
    """Validate ``data`` with ``engine``; findings to ``findings_file``, timings as the
    last stdout line (JSON)."""
    started = time.perf_counter()
    from flgraph.rdfio import read_quads
    from flgraph.validation.validate import validate_quads

    imported = time.perf_counter()
    quads = read_quads(data)
    parsed = time.perf_counter()
    report = validate_quads(quads, engine=engine)
    validated = time.perf_counter()
    rows = sorted(
        [f.severity, f.focus, f.path, f.component, f.value, f.message] for f in report.findings
    )
    findings_file.write_text(json.dumps(rows), encoding="utf-8")
    counts = Counter(f.severity for f in report.findings)
    print(
        json.dumps(
            {
                "triples": len(quads),
                "conforms": report.conforms,
                "counts": dict(counts),
                "import_s": round(imported - started, 3),
                "parse_s": round(parsed - imported, 3),
                "validate_s": round(validated - parsed, 3),
            }
        )
    )


def measure(engine: str, data: Path, cap: float | None, rss_limit_mb: float) -> Run:
    """One engine on one file in its own process, stopped at ``cap`` seconds or at
    ``rss_limit_mb`` of resident memory."""
    findings = findings_file(engine, data)
    findings.unlink(missing_ok=True)
    started = time.monotonic()
    me = psutil.Process()

    def watch() -> bool:
        if cap is not None and time.monotonic() - started > cap:
            return True
        rss = sum(tree_rss(child.pid) for child in me.children())
        return rss > rss_limit_mb * 2**20

    print(f"{engine} on {data.name} (cap {cap and round(cap)} s) …", file=sys.stderr)
    run = python("bench.validation", "--worker", engine, str(data), str(findings), watch=watch)
    if not run.killed:
        run.check()
    return run


def findings_file(engine: str, data: Path) -> Path:
    return WORK / "validation" / f"{data.stem}.{engine}.json"


def same_findings(data: Path) -> tuple[bool, int, str]:
    """Whether both engines' findings on ``data`` are the same multiset; how many; and
    the first difference, if any."""
    fast, reference = (
        Counter(map(tuple, json.loads(findings_file(e, data).read_text()))) for e in ENGINES
    )
    if fast == reference:
        return True, sum(fast.values()), ""
    diff = (fast - reference) or (reference - fast)
    side = "only fast" if fast - reference else "only pyshacl"
    return False, sum(reference.values()), f"{side}: {next(iter(diff))}"


MUTATIONS = [
    # totals off by one
    """DELETE { GRAPH ?g { ?r flg:memberStateCount ?n } }
       INSERT { GRAPH ?g { ?r flg:memberStateCount ?m } }
       WHERE { { SELECT ?r WHERE { GRAPH ?h { ?r a flg:ReportedResult } } ORDER BY ?r LIMIT 5 }
               GRAPH ?g { ?r flg:memberStateCount ?n } BIND (?n + 1 AS ?m) }""",
    # provenance removed
    """DELETE { GRAPH ?g { ?x prov:wasDerivedFrom ?e } }
       WHERE { { SELECT ?x WHERE { GRAPH ?h { ?x a flg:NationalResult } } ORDER BY ?x LIMIT 5 }
               GRAPH ?g { ?x prov:wasDerivedFrom ?e } }""",
    # M49 codes of two digits
    """DELETE { GRAPH ?g { ?c flg:m49 ?code } } INSERT { GRAPH ?g { ?c flg:m49 ?short } }
       WHERE { { SELECT ?c WHERE { GRAPH ?h { ?c flg:m49 ?any } } ORDER BY ?c LIMIT 3 }
               GRAPH ?g { ?c flg:m49 ?code } BIND (SUBSTR(?code, 2) AS ?short) }""",
    # a listed member State in every region but its own (one region each is a warning)
    """DELETE { GRAPH ?g { ?c flg:iloRegion ?r } } INSERT { GRAPH ?g { ?c flg:iloRegion ?other } }
       WHERE { { SELECT ?c WHERE { GRAPH ?h { ?l a flg:TypologyListing ; flg:country ?c } }
                 ORDER BY ?c LIMIT 1 }
               GRAPH ?g { ?c flg:iloRegion ?r }
               { SELECT ?other WHERE { GRAPH ?k { ?other a flg:Region } } }
               FILTER (?other != ?r) } """,
    # publications with a second year
    """INSERT { GRAPH ?g { ?p dct:issued "1999"^^xsd:gYear } }
       WHERE { { SELECT ?p WHERE { GRAPH ?h { ?p a flg:Publication } } ORDER BY ?p LIMIT 5 }
               GRAPH ?g { ?p a flg:Publication } }""",
]


def mutated(data: Path) -> Path:
    """A copy of ``data`` with the ``MUTATIONS`` applied (cached beside the findings)."""
    import pyoxigraph as ox

    from flgraph import namespaces as ns
    from flgraph.rdfio import FORMATS, read_quads, write_quads

    output = WORK / "validation" / f"{data.stem}-mutated.trig"
    if output.is_file() and output.stat().st_mtime > data.stat().st_mtime:
        return output
    store = ox.Store()
    store.bulk_extend(read_quads(data))
    prefixes = "".join(
        f"PREFIX {p}: <{n}>\n"
        for p, n in (("flg", ns.FLG), ("prov", ns.PROV), ("dct", ns.DCTERMS), ("xsd", ns.XSD))
    )
    before = len(store)
    for update in MUTATIONS:
        store.update(prefixes + update)
    print(f"mutated {data.name}: {before:,} → {len(store):,} quads", file=sys.stderr)
    write_quads(list(store), output, FORMATS["trig"])
    return output


def dataset(size: str) -> Path:
    """The cached synthetic file for ``size`` (generated by testbed/synth.py if missing)."""
    meta = synth.ensure(synth.SIZES[size], quiet=True)
    return Path(meta.path)


def size_row(
    variant: str, args, run_reference: bool = True, capped: bool = True
) -> tuple[str, dict]:
    """Both engines on one file (``200k`` or ``200k mutated``): a table row and the runs."""
    size = variant.removesuffix(" mutated")
    data = dataset(size)
    if variant != size:
        data = mutated(data)
    fast = measure("fast", data, None, args.rss_limit)
    if fast.killed:
        raise RuntimeError(f"the fast engine passed {args.rss_limit} MB on {data.name}")
    timing = fast.result
    outcome = {"data": data, "finished": False, "counts": timing["counts"]}
    head = (
        f"| {variant} ({timing['triples']:,}) | {fast.seconds:.1f} s (parse "
        f"{timing['parse_s']:.1f}, validate {timing['validate_s']:.1f}) | "
        f"{fast.peak_rss_mb:,.0f} MB | {describe(timing['counts'])} |"
    )
    if not run_reference:
        return head + " not run (did not finish on the unmutated file) | | | |", outcome
    cap = args.pyshacl_caps.get(size, max(args.cap_factor * fast.seconds, args.min_cap))
    cap = cap if capped else None
    reference = measure("pyshacl", data, cap, args.rss_limit)
    outcome["finished"] = not reference.killed
    ratio = reference.seconds / fast.seconds
    if outcome["finished"]:
        ref_time, shown = f"{reference.seconds:.1f} s", f"{ratio:.0f}×"
    else:
        timed_out = cap is not None and reference.seconds >= cap
        why = "the time cap" if timed_out else f"the {args.rss_limit:g} MB limit"
        ref_time = f"did not finish in {reference.seconds:.0f} s (stopped at {why})"
        shown = f"≥ {ratio:.0f}×"
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    row = f"{head} {ref_time} | {reference.peak_rss_mb:,.0f} MB | {shown} | {verdict} |"
    return row, outcome


def comparison(outcomes: dict, args) -> list[str]:
    """Findings compared where pyshacl finished; where it finished nowhere, on the
    mutated ``--compare-on`` file."""
    lines = []
    for variant, outcome in outcomes.items():
        if outcome["finished"]:
            lines.append(f"- {variant}: {compared(outcome['data'])}")
        else:
            lines.append(
                f"- {variant}: pyshacl did not finish (or was not run), so its findings are "
                f"not known here; the fast engine found {describe(outcome['counts'])}."
            )
    if not any(o["finished"] for o in outcomes.values()) and args.compare_on:
        row, outcome = size_row(f"{args.compare_on} mutated", args, capped=False)
        lines += ["", "| " + " | ".join(HEADER) + " |", SEPARATOR, row, ""]
        found = compared(outcome["data"]) if outcome["finished"] else "pyshacl did not finish"
        lines.append(f"- {args.compare_on} mutated: {found}")
    return lines


def fixed_caps(args) -> str:
    if not args.pyshacl_caps:
        return ""
    caps = ", ".join(f"{seconds:g} s at {size}" for size, seconds in args.pyshacl_caps.items())
    return f", except where fixed: {caps}"


def compared(data: Path) -> str:
    same, n, difference = same_findings(data)
    if same:
        return f"the same {n} findings from both engines (same conformance)."
    return f"DIFFERENT findings ({n} from pyshacl); {difference}"


def describe(counts: dict) -> str:
    if not counts:
        return "no findings"
    return ", ".join(f"{n} {severity.lower()}(s)" for severity, n in sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "DATA", "FINDINGS"))
    parser.add_argument("--sizes", nargs="+", default=["200k", "2m"], choices=synth.SIZES)
    parser.add_argument("--cap-factor", type=float, default=12.0)
    parser.add_argument("--min-cap", type=float, default=300.0, help="seconds")
    parser.add_argument(
        "--pyshacl-cap",
        action="append",
        default=[],
        metavar="SIZE=SECONDS",
        help="a fixed cap for pyshacl at one size (instead of cap-factor × fast)",
    )
    parser.add_argument("--compare-on", default="20k", choices=synth.SIZES)
    parser.add_argument("--rss-limit", type=float, default=12_000.0, help="MB")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        engine, data, findings = args.worker
        worker(engine, Path(data), Path(findings))
        return 0
    args.pyshacl_caps = {
        size: float(seconds) for size, seconds in (c.split("=") for c in args.pyshacl_cap)
    }
    (WORK / "validation").mkdir(parents=True, exist_ok=True)
    rows, outcomes = [], {}
    for size in args.sizes:
        row, outcomes[size] = size_row(size, args)
        rows.append(row)
        variant = f"{size} mutated"
        row, outcomes[variant] = size_row(variant, args, outcomes[size]["finished"])
        rows.append(row)
    lines = comparison(outcomes, args)
    table = "\n".join(
        [
            "Each engine validates the synthetic TriG file in its own process, end to end "
            "(imports, parsing, validation), on ontology/shapes.ttl; time and peak RSS are the "
            f"process's. pyshacl runs under a cap of {args.cap_factor:g}× the fast engine's time "
            f"(at least {args.min_cap:g} s){fixed_caps(args)}; where it is stopped, the ratio is "
            "a lower bound.",
            "",
            "| " + " | ".join(HEADER) + " |",
            SEPARATOR,
            *rows,
            "",
            "Findings compared (multisets of severity, focus, path, constraint component, "
            "value, message):",
            "",
            *lines,
        ]
    )
    print(table)
    if not args.no_record:
        record("Validation at scale", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
