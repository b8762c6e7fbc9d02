"""flgraph: the ILO programme implementation report on forced labour as a knowledge graph.

The package tree is the architecture (README, Layout; pyproject.toml's import-linter
contracts hold it). The build: ``extract`` (report text → records) → ``model`` (records
→ RDF) → ``build`` (validated by ``validation``, SHACL). Serving: ``web`` (the site) →
``query`` (the gateway, the service, its worker pools and engine: deadlines and caps on
every query) → ``store`` (who answers: Oxigraph or a SPARQL server) → ``sparqltext``.
``cli`` composes them; ``config`` holds every setting and ``formats`` every format;
``describe`` and ``search`` sit beside ``query``.
"""

# every process of flgraph (the CLI, web processes, query workers) writes the libraries'
# warnings as one line, once per interval: see logs.py
from .logs import limit_library_logs


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata when first asked for: importing
    ``importlib.metadata`` costs 40-50 ms, which the engine and the web processes,
    which never ask, would pay on every start."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("flgraph")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found


limit_library_logs()
