"""What a Cite box costs: each citation format's rendering time, and a page's time on its
first view (templates compiled, answer and box computed) against later views (the box
kept per data version), on the committed dataset, in process (the response cache off).

Baselines measured in the same run: BibTeX (bibtexparser) for the formats, the page's
later views for its first. Appends its table to bench/RESULTS.md.

    python -m bench.citations [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

from flgraph import citation
from flgraph.web import create_app

from .common import record

PAGES = ["/id/result/15.1/ZMB/programmes", "/id/country/ZMB", "/queries/table-1"]


def timed(call, repeat: int) -> float:
    """Median milliseconds of ``call()``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def formats(card: citation.DatasetCard, repeat: int) -> list[tuple[str, float]]:
    cited = citation.Cited("Zambia: Programmes (indicator 15.1)",
                           "https://w3id.org/flgraph/id/result/15.1/ZMB/programmes",
                           ("Table 1", "row 15.1"))
    citation.every_format(card, cited)  # styles and parsers loaded once, as in a server
    return [(fmt, timed(lambda f=fmt: citation.render(card, cited, f), repeat))
            for fmt in citation.FORMATS]


def pages(repeat: int) -> list[tuple[str, float, float]]:
    out = []
    for path in PAGES:
        app = create_app({"FLGRAPH_CACHE": False})
        client = app.test_client()
        client.get("/health")
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        first = (time.perf_counter() - started) * 1000
        out.append((path, first, timed(lambda c=client, p=path: c.get(p), repeat)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = create_app({"FLGRAPH_CACHE": False})
    with app.test_request_context():
        from flgraph.web.citing import card

        the_card = card()
    rendered = formats(the_card, args.repeat)
    baseline = dict(rendered)["bibtex"]
    lines = ["| format | median ms | × BibTeX |", "|---|---|---|"]
    lines += [f"| {fmt} | {ms:.2f} | {ms / baseline:.1f} |" for fmt, ms in rendered]
    lines += ["", "| page | first view ms (templates, answer and box made) | "
              "later views ms (all kept) | first ÷ later |", "|---|---|---|---|"]
    lines += [f"| {path} | {first:.1f} | {later:.1f} | {first / later:.1f} |"
              for path, first, later in pages(args.repeat)]
    table = "\n".join(lines)
    print(table)
    record("Cite box costs (bench/citations.py)",
           f"{args.repeat} repeats, medians; committed dataset, in process, response cache "
           f"off.\n\n{table}\n")


if __name__ == "__main__":
    main()
