"""``python -m flgraph`` is the ``flgraph`` command."""

from .cli import main

main()
