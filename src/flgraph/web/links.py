"""Dataset IRIs ↔ local addresses.

The dataset's IRIs live under ``https://w3id.org/flgraph/``; the site serves them under
its own address, so ``http://localhost:8000/id/country/ZMB`` is the page of
``https://w3id.org/flgraph/id/country/ZMB``. Only http(s) IRIs ever become links.
"""

from __future__ import annotations

from urllib.parse import quote


class Links:
    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def local_path(self, iri: str) -> str | None:
        """The site path serving ``iri``, or None when the IRI is not the dataset's."""
        if not iri.startswith(self.base):
            return None
        rest = iri[len(self.base):]
        if rest.startswith("id/") or rest.startswith("ontology") or rest.startswith("shapes"):
            return "/" + quote(rest, safe="/#:@!$&'()*+,;=-._~")
        return None

    def iri_for(self, path: str) -> str:
        """The dataset IRI a local path (``id/country/ZMB``) stands for."""
        return self.base + path.lstrip("/")

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` should point: local page, external http(s), or none."""
        local = self.local_path(iri)
        if local:
            return local
        if iri.startswith(("http://", "https://")):
            return iri
        return None
