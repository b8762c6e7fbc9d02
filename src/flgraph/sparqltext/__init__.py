"""SPARQL text: one lexer, and what is read from its tokens.

``lexer`` turns a query's text into tokens (the grammar's terminals, with the one
context-dependent terminal, ``<``, read as a parser reads it); ``header`` reads the
prologue, the form and the projection from them; ``binder`` writes parameters into the
text for a store that only takes text. The gateway, the binder and saved queries all
read queries through this package, so they cannot disagree on where a string, an IRI
or a comment ends — the kind of disagreement that once let a ``SERVICE`` past a check.
"""

from .errors import BindingError
from .header import FORMS, Header, read_header
from .lexer import Token, decode_codepoints, significant, tokenize

__all__ = ["FORMS", "BindingError", "Header", "Token", "decode_codepoints", "read_header",
           "significant", "tokenize"]
