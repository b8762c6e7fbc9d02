"""flgraph: the ILO programme implementation report on forced labour as a knowledge graph.

The package tree is the architecture (README, Layout; pyproject.toml's import-linter
contracts hold it). The build: ``extract`` (report text → records) → ``model`` (records
→ RDF) → ``build`` (validated by ``validation``, SHACL). Serving: ``web`` (the site) →
``query`` (the gateway, the service, its worker pools and engine: deadlines and caps on
every query) → ``store`` (who answers: Oxigraph or a SPARQL server) → ``sparqltext``.
``cli`` composes them; ``config`` holds every setting and ``formats`` every format;
``describe`` and ``search`` sit beside ``query``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

# every process of flgraph (the CLI, web processes, query workers) writes the libraries'
# warnings as one line, once per interval: see logs.py
from .logs import limit_library_logs

limit_library_logs()
