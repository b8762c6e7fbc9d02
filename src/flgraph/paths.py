"""Where flgraph finds its files: the project tree (data, ontology, queries).

The project's data live beside the package in a source checkout (``pip install -e .``).
``FLGRAPH_HOME`` points elsewhere, for an installed package run from another folder.
"""

from pathlib import Path

from .config import environment


def project_root() -> Path:
    """The folder holding ``data/``, ``ontology/`` and ``queries/``."""
    home = environment().home
    if home:
        return home.resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def source_dir() -> Path:
    return data_dir() / "source"


def reference_dir() -> Path:
    return data_dir() / "reference"


def dataset_file() -> Path:
    return data_dir() / "flgraph.trig"


def ontology_dir() -> Path:
    return project_root() / "ontology"


def queries_dir() -> Path:
    return project_root() / "queries"
