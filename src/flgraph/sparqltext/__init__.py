"""Reading SPARQL text: one lexer for the gateway, the binder and saved queries."""
