"""Focus node sets as SPARQL patterns, so every constraint runs once over all of them.

A shape with targets starts from its target classes; a shape reached through sh:node or
sh:or on a property shape is checked on that property's values. Each set binds a
variable to each focus node exactly once.

pyshacl finds a class's instances without inference: rdf:type, then rdfs:subClassOf* in
the data. The engine resolves the subclasses once (``classes`` is that closure); a class
without subclasses then becomes a plain triple pattern, which Oxigraph joins with the
constraint's own patterns far better than a sub-SELECT.
"""

from __future__ import annotations

from dataclasses import dataclass

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True)
class Focus:
    """The instances of ``classes`` (a target class with its subclasses), or the values
    of ``path`` on the focus nodes of ``parent``."""

    classes: tuple[str, ...] = ()
    parent: Focus | None = None
    path: str | None = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def pattern(self, var: str = "?this") -> str:
        """A group pattern binding ``var`` to each focus node exactly once."""
        if self.parent is None:
            if len(self.classes) == 1:  # a set of triples: each subject once
                return f"{var} {RDF_TYPE} <{self.classes[0]}> ."
            classes = " ".join(f"<{c}>" for c in self.classes)
            return (f"{{ SELECT DISTINCT {var} WHERE {{ VALUES ?_class {{ {classes} }} "
                    f"{var} {RDF_TYPE} ?_class }} }}")
        up = f"?_focus{self.depth}"
        return (f"{{ SELECT DISTINCT {var} WHERE {{ {self.parent.pattern(up)} "
                f"{up} <{self.path}> {var} . }} }}")

    def values(self, path: str) -> Focus:
        return Focus(parent=self, path=path)
