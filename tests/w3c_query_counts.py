"""Pass counts of the W3C query suites, directly on pyoxigraph and through flgraph, per
suite and kind of test: ``python -m tests.w3c_query_counts`` prints the table that
docs/w3c-query-tests.md records."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from tests import w3c_query as w3c


def evaluation_passes(apps, case) -> tuple[bool, bool]:
    expected = w3c.expected(case)
    ordered = w3c.is_ordered(case)
    return (w3c.same(w3c.direct(case), expected, ordered),
            w3c.same(w3c.through_flgraph(apps(case), case), expected, ordered))


def syntax_passes(apps, case) -> tuple[bool, bool]:
    text = case.text()
    parses = w3c.oxigraph_parses(text)
    status = apps(case).test_client().post("/sparql", data={"query": text}).status_code
    if case.kind == "positive":
        return parses, status == 200
    return not parses, status == 400


def main() -> None:
    counts: Counter = Counter()
    lost = []
    with tempfile.TemporaryDirectory() as tmp:
        apps = w3c.FolderApps(Path(tmp))
        for case in w3c.cases():
            row = (case.suite, case.kind)
            counts[row, "tests"] += 1
            if case.id in w3c.EXCLUDED:
                counts[row, "excluded"] += 1
                continue
            run = evaluation_passes if case.kind == "evaluation" else syntax_passes
            direct, through = run(apps, case)
            counts[row, "direct"] += direct
            counts[row, "flgraph"] += through
            if direct and not through:
                lost.append(case.id)
    print("| suite | tests | count | excluded by design | pass on pyoxigraph directly "
          "| pass through flgraph |")
    print("|---|---|---:|---:|---:|---:|")
    for row in sorted({r for r, _ in counts}):
        print(f"| {row[0]} | {row[1]} | {counts[row, 'tests']} | {counts[row, 'excluded']} | "
              f"{counts[row, 'direct']} | {counts[row, 'flgraph']} |")
    print("\npassed directly, not through flgraph:", ", ".join(lost) or "none")


if __name__ == "__main__":
    main()
