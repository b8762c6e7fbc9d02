"""The CLI's exit codes for a query's failures (errors.py's table gives each failure
one), in a module of their own: the CLI reads them as it starts, before anything of the
query path is needed, and ``flgraph serve`` launches its engine first."""

EXIT_FAILED = 1  # the data or the store failed
EXIT_INPUT = 2  # the user's input (a query, a parameter) is at fault
