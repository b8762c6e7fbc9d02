"""What a validation finds, whichever engine found it: the report types.

At the bottom of ``validation``: the reference engine (``validate``) and the fast one
(``shacl``) both write these, so neither imports the other for them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .. import namespaces as ns

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    component: str | None = None  # e.g. "MinCountConstraintComponent"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool  # no violations (warnings do not make a dataset invalid)
    findings: tuple[Finding, ...]
    turtle: str  # the SHACL validation report graph, for tools

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        counts = ", ".join(f"{self.count(s)} {s.lower()}{'s' if self.count(s) != 1 else ''}"
                           for s in SEVERITIES)
        return f"{verdict} ({counts})"

    def text(self) -> str:
        lines = [f"Validation: {self.summary()}"]
        for f in self.findings:
            where = f" [{_short(f.path)}]" if f.path else ""
            value = f" = {f.value}" if f.value and f.value != f.focus else ""
            lines.append(f"{f.severity}: {f.focus}{where}{value}: {f.message}")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "counts": {s: self.count(s) for s in SEVERITIES},
                           "findings": [asdict(f) for f in self.findings]}, indent=2)


def with_details(message: str, details: list[str]) -> str:
    """A result's message followed by those of the results nested in it (sh:detail),
    which say what is wrong where the result only says that a nested shape failed."""
    return f"{message} Details: {'; '.join(details)}" if details else message


def _short(iri: str) -> str:
    for prefix, namespace in ns.PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
