"""web/evidence.py gathers resource-evidence.rq's long rows (one per fact of an evidence
node, one per detail of its source and selectors) into citations, and orders them as the
query no longer does: by line in the source, numerically, then by IRI."""

import hashlib

import pyoxigraph as ox

from flgraph.namespaces import BASE, FLG, ID, OA, RDFS
from flgraph.web.evidence import citations
from flgraph.web.links import Links

LABEL = RDFS + "label"
TEXT = "Forced labour in Zambia and in Nepal."


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def rows_of(evidence: str, line: int, spans: list[tuple[int, int]], sha256: str) -> list[dict]:
    """The rows resource-evidence.rq gives for one evidence node of the text above."""
    node = ox.NamedNode(ID + "evidence/" + evidence)
    source = ox.NamedNode(ID + "source/s")

    def fact(key: str, value) -> dict:
        return {"evidence": node, "key": ox.NamedNode(key), "value": value}

    rows = [fact(FLG + "table", ox.Literal("Table 1")), fact(FLG + "line", integer(line)),
            fact(FLG + "quote", ox.Literal(TEXT[spans[0][0]:spans[0][1]])),
            {**fact(OA + "hasSource", source), "detail": ox.NamedNode(LABEL),
             "detailValue": ox.Literal("s.txt")},
            {**fact(OA + "hasSource", source), "detail": ox.NamedNode(FLG + "sha256"),
             "detailValue": ox.Literal(sha256)}]
    for start, end in spans:
        selector = ox.NamedNode(f"{node.value}/selector/{start}-{end}")
        rows += [{**fact(OA + "hasSelector", selector), "detail": ox.NamedNode(OA + "start"),
                  "detailValue": integer(start)},
                 {**fact(OA + "hasSelector", selector), "detail": ox.NamedNode(OA + "end"),
                  "detailValue": integer(end)}]
    return rows


def test_rows_become_citations_in_line_order_with_their_spans(tmp_path):
    (tmp_path / "s.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    rows = rows_of("b", 10, [(17, 23)], sha) + rows_of("a", 9, [(31, 36), (7, 13)], sha)
    found = citations(rows, [tmp_path], Links(BASE))  # b first, as a store may give
    # line 9 before line 10: numbers, not strings ("10" < "9")
    assert [c.iri for c in found] == [ID + "evidence/a", ID + "evidence/b"]
    first, second = found
    assert dict(first.where) == {"table": "Table 1", "line": "9"}
    assert first.source == "s.txt" and first.quote == "Nepal"
    marked = [p.text for e in first.excerpts for p in e.pieces if p.marked]
    assert marked == ["labour", "Nepal"]  # both selectors, in the order of the text
    assert [p.text for e in second.excerpts for p in e.pieces if p.marked] == ["Zambia"]


def test_without_the_source_text_a_citation_keeps_its_quote(tmp_path):
    rows = rows_of("a", 9, [(7, 13)], "0" * 64)
    [citation] = citations(rows, [tmp_path], Links(BASE))
    assert citation.excerpts is None and citation.quote == "labour"
    assert citation.href == "/id/evidence/a"


def test_a_cited_text_split_by_a_page_break_shows_each_part_s_line(client):
    # Brazil's result (Table 2): "… the Pastoral" ends line 17, "Mission for Migrants …"
    # continues on line 19 after the page break
    html = client.get("/id/chain/15/BRA/result/1").get_data(as_text=True)
    assert "17, 19" in html
