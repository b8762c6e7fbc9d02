"""Focus node sets as SPARQL patterns, so every constraint runs once over all of them.

A shape with targets starts from its target classes; a shape reached through sh:node or
sh:or on a property shape is checked on that property's values. Each set is a
sub-SELECT with DISTINCT, so a node is one focus node however many ways it is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True)
class Focus:
    """Focus nodes: the instances of ``classes`` (as pyshacl finds them without inference:
    rdf:type, then rdfs:subClassOf* in the data), or the values of ``path`` on the focus
    nodes of ``parent``."""

    classes: tuple[str, ...] = ()
    parent: Focus | None = None
    path: str | None = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def pattern(self, var: str = "?this") -> str:
        """A group pattern binding ``var`` to each focus node exactly once."""
        if self.parent is None:
            branches = " UNION ".join(f"{{ {var} {RDF_TYPE}/{SUBCLASS}* <{c}> }}"
                                      for c in self.classes)
            return f"{{ SELECT DISTINCT {var} WHERE {{ {branches} }} }}"
        up = f"?_focus{self.depth}"
        return (f"{{ SELECT DISTINCT {var} WHERE {{ {self.parent.pattern(up)} "
                f"{up} <{self.path}> {var} . }} }}")

    def values(self, path: str) -> Focus:
        return Focus(parent=self, path=path)
