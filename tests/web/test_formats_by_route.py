"""Every route that negotiates, asked for every registered format (formats.py): the
offered ones are served with their media type, the others answered 406; both say they
vary on Accept. The offers are written out here, by route, as a reader of the site
would list them, so that a format added to the registry without its writer, or dropped
from a route, fails here."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from flgraph.formats import REGISTRY

HTML = "text/html"
RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]
GRAPH = ["text/turtle", "application/n-triples", "application/ld+json",
         "application/rdf+xml"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/flgraph/ontology#MemberState> } LIMIT 2"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"

ROUTES: dict[str, list[str]] = {
    "/queries/table-1": [HTML, *RESULTS, XLSX],
    "/id/country/ZMB": [HTML, *GRAPH],
    "/ontology": [HTML, *GRAPH],
    "/dataset": [HTML, *GRAPH],
    "/.well-known/void": [*GRAPH, HTML],
    "/validation": [HTML, "text/turtle"],
    f"/sparql?query={quote(SELECT)}": RESULTS,
    f"/sparql?query={quote(CONSTRUCT)}": GRAPH,
}
#: The editor answers a browser at /sparql whatever the query: HTML is a page there.
PAGES_EVERYWHERE = {HTML}


@pytest.mark.parametrize("fmt", REGISTRY, ids=lambda f: f.name)
@pytest.mark.parametrize("route", ROUTES)
def test_a_route_serves_what_it_offers_and_refuses_the_rest(client, route, fmt):
    response = client.get(route, headers={"Accept": fmt.media_type})
    offered = fmt.media_type in ROUTES[route] or (
        route.startswith("/sparql") and fmt.media_type in PAGES_EVERYWHERE)
    if offered:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.mimetype == fmt.media_type
    else:
        assert response.status_code == 406, (response.status_code, response.mimetype)
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",")]
    assert "Accept" in vary
