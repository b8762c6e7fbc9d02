"""SHACL validation of the data: ``validate`` (the reference engine, pyshacl, and the
report) and ``shacl/`` (the fast engine)."""
