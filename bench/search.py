"""Full-text search on large data: SQLite FTS5 (the engine chosen) against tantivy, and
search through HTTP on a served store.

Targets (the search feature's): at 2M triples the index built in ≤ 10 s; a one-word
search p50 ≤ 20 ms and p99 ≤ 100 ms through HTTP, a phrase ≤ 50 ms p50; the web
process's memory grows by ≤ 50 MB with the index in use; on the report, the search page
within 1.5× of a cached saved-query page's throughput.

    python bench/search.py [--data bench/work/synth-2m.trig] [--parts engines,http,report]

``engines``: the texts read by flgraph's own query (search/texts.rq) from the data in
an in-memory Oxigraph store, then indexed by each engine with the same tokenising
intent (English stems; FTS5 also folds accents, tantivy's ``en_stem`` does not) and
searched in process with the same words, phrases and prefixes, drawn from the data:
the first 20 hits with their snippets and the total; flgraph's path (FTS5) also ranks
exact names first and counts the facets of the best 2,000 hits, which tantivy's does not.
``http``: ``flgraph serve`` on the data loaded into an on-disk store (as served at
this size), one web process: the time from the first search to a ready index, then
searches never asked before (the response cache cannot answer them), and the web
process's resident memory before and after. ``report``: wrk on the report's data, the
search page against a saved-query page, both cached, in the same run.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil
import requests

from common import ROOT, Server, record
from flgraph.search import SearchIndex, write_index
from flgraph.search.texts import read_documents
from flgraph.store import open_store

WORK = ROOT / "bench" / "work"
SEED = 17
SAMPLES = 200  # searches of each kind per engine


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def workload(documents) -> dict[str, list[str]]:
    """Words (frequent and rare), two-word phrases and prefixes found in the data."""
    rng = random.Random(SEED)
    words: Counter[str] = Counter()
    phrases: list[str] = []
    for document in rng.sample(documents, min(5000, len(documents))):
        for text in document.body:
            tokens = re.findall(r"[a-z]{4,}", text.lower())
            words.update(tokens)
            if len(tokens) > 2:
                start = rng.randrange(len(tokens) - 1)
                phrases.append(f'"{tokens[start]} {tokens[start + 1]}"')
    vocabulary = [w for w, _ in words.most_common(2000)]
    return {"one word": rng.choices(vocabulary, k=SAMPLES),
            "phrase": rng.choices(phrases, k=SAMPLES),
            "prefix": [w[:5] + "*" for w in rng.choices(vocabulary, k=SAMPLES)]}


def fts5_engine(documents, directory: Path):
    path = directory / "search.sqlite"
    _, seconds = timed(write_index, documents, path)
    index = SearchIndex(path)
    return seconds, path.stat().st_size, lambda text: index.search(text, size=20).total


def tantivy_engine(documents, directory: Path):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    builder.add_text_field("names", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    target = directory / "tantivy"
    target.mkdir()

    def build():
        index = tantivy.Index(schema, path=str(target))
        writer = index.writer(heap_size=256 * 2**20)
        for number, document in enumerate(documents):
            writer.add_document(tantivy.Document(id=number, names="\n".join(document.names),
                                                 body="\n".join(document.body)))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return index

    index, seconds = timed(build)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())

    def search(text: str) -> int:
        searcher = index.searcher()
        query = index.parse_query(text, ["names", "body"], field_boosts={"names": 10.0})
        result = searcher.search(query, 20, count=True)  # the total, as FTS5's path has
        generator = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        for _, address in result.hits:  # snippets of the page, as flgraph's page has
            generator.snippet_from_doc(searcher.doc(address)).to_html()
        return result.count

    return seconds, size, search


def engines(data: Path) -> list[str]:
    store, load_seconds = timed(open_store, "memory", data)
    documents, read_seconds = timed(read_documents, store)
    del store
    queries = workload(documents)
    lines = [f"Data: `{data.name}`; loaded into Oxigraph in memory in {load_seconds:.1f} s; "
             f"{len(documents):,} things read by search/texts.rq in {read_seconds:.1f} s.",
             "", "| engine | index built, s | size, MB | " + " | ".join(
                 f"{kind} p50 / p99, ms" for kind in queries) + " |",
             "|---|---:|---:|" + "---:|" * len(queries)]
    for name, engine in (("SQLite FTS5", fts5_engine), ("tantivy", tantivy_engine)):
        with tempfile.TemporaryDirectory(dir=WORK) as directory:
            seconds, size, search = engine(documents, Path(directory))
            cells = []
            for kind, texts in queries.items():
                if name == "tantivy" and kind == "prefix":
                    cells.append("n/a (no prefix in its query parser)")
                    continue
                times = [timed(search, text)[1] * 1000 for text in texts]
                cells.append(f"{percentile(times, 50):.1f} / {percentile(times, 99):.1f}")
            lines.append(f"| {name} | {seconds:.1f} | {size / 1e6:.1f} | " + " | ".join(cells)
                         + " |")
            print(lines[-1], flush=True)
    return lines


def disk_store(data: Path) -> Path:
    path = WORK / "stores" / f"oxigraph-{data.stem}"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "flgraph", "load", "--store", f"oxigraph:{path}",
                        "--data", str(data)], check=True, cwd=ROOT)
    return path


def web_process(server: Server) -> psutil.Process:
    for child in psutil.Process(server.process.pid).children():
        if "multiprocessing" not in " ".join(child.cmdline()):
            return child
    raise RuntimeError("no web process under the server")


def http(data: Path) -> list[str]:
    store = disk_store(data)
    lines = [f"`flgraph serve --store oxigraph:{store.relative_to(ROOT)} --workers 1 "
             "--timeout 60`; every search a new one (no response cache).", ""]
    with Server("--store", f"oxigraph:{store}", "--workers", "1", "--timeout", "60",
                wait=600) as server:
        web = web_process(server)
        before = web.memory_info().rss
        started = time.perf_counter()
        while requests.get(server.url + "/search.json", params={"q": "labour"},
                           timeout=600).status_code == 503:
            time.sleep(0.1)
        ready = time.perf_counter() - started
        lines.append(f"Index prepared {ready:.1f} s after the first search (read by a child "
                     "process from the disk store, then written).")
        lines += ["", "| search | p50, ms | p99, ms | n |", "|---|---:|---:|---:|"]
        words = _served_words(server)
        rng = random.Random(SEED)
        kinds = {"one word": [f"{w}" for w in words],
                 "phrase": [f'"{a} {b}"' for a, b in zip(words, rng.sample(words, len(words)),
                                                          strict=True)],
                 "prefix": [f"{w[:4]}*" for w in words]}
        for kind, texts in kinds.items():
            times = []
            for text in texts:
                begun = time.perf_counter()
                response = requests.get(server.url + "/search.json", params={"q": text},
                                        timeout=60)
                times.append((time.perf_counter() - begun) * 1000)
                assert response.status_code == 200, response.text
            lines.append(f"| {kind} | {percentile(times, 50):.1f} | "
                         f"{percentile(times, 99):.1f} | {len(times)} |")
            print(lines[-1], flush=True)
        after = web.memory_info().rss
        lines.append("")
        lines.append(f"Web process RSS: {before / 2**20:.0f} MB before the first search, "
                     f"{after / 2**20:.0f} MB after these ({(after - before) / 2**20:+.0f} MB).")
    return lines


def _served_words(server: Server) -> list[str]:
    """Words of the served texts: those of the snippets of a few broad searches."""
    found: Counter[str] = Counter()
    for text in ("labour", "forced", "ministry", "workshop", "survey", "training"):
        answer = requests.get(server.url + "/search.json", params={"q": text},
                              timeout=60).json()
        for hit in answer["hits"]:
            for part in hit["snippet"]:
                found.update(re.findall(r"[a-z]{4,}", part["text"].lower()))
    return sorted(found)[:SAMPLES] or ["labour"]


def report() -> list[str]:
    from http_throughput import warm, wrk

    lines = ["wrk -t2 -c8 -d10s on the report's data (`flgraph serve`, defaults), both pages "
             "cached; the same run.", "", "| page | requests/s | p99, ms |", "|---|---:|---:|"]
    with Server() as server:
        rates = {}
        for name, path in (("saved-query page (HTML)", "/queries/lessons-learned"),
                           ("search page (HTML)", "/search?q=forced+labour"),
                           ("search JSON", "/search.json?q=forced+labour")):
            url = server.url + path
            while requests.get(url, timeout=30).status_code == 503:
                time.sleep(0.2)
            warm(url, 8)
            rps, p99, bad = wrk(url, 10, 8)
            rates[name] = rps
            lines.append(f"| {name} | {rps:,.0f} | {p99:.1f} |" + (f" {bad} errors" if bad
                                                                      else ""))
            print(lines[-1], flush=True)
    ratio = rates["saved-query page (HTML)"] / rates["search page (HTML)"]
    lines += ["", f"Saved-query page / search page: {ratio:.2f}×."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=WORK / "synth-2m.trig")
    parser.add_argument("--parts", default="engines,http,report")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    parts = args.parts.split(",")
    body = []
    if "engines" in parts:
        body += ["### Engines, in process", "", *engines(args.data), ""]
    if "http" in parts:
        body += ["### Through HTTP", "", *http(args.data), ""]
    if "report" in parts:
        body += ["### Throughput on the report", "", *report(), ""]
    print("\n".join(body))
    if not args.no_record:
        record("Full-text search (bench/search.py)", "\n".join(body))


if __name__ == "__main__":
    main()
