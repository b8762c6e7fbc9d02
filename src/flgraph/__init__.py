"""flgraph: the ILO programme implementation report on forced labour as a knowledge graph.

The pipeline is visible in the package layout: ``extract`` (report text → records),
``model`` (records → RDF), ``validate`` (SHACL), ``store`` (who answers queries),
``web`` and ``cli`` (which only compose the others).
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
