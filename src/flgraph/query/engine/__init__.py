"""The query engine of ``flgraph serve``: one process that holds the data once for the
machine and forks the query workers from it.

``snapshot`` reads and checks a data file into an immutable, content-addressed copy;
``server`` is the engine process (load, fork, respawn, reload); ``worker`` is a forked
worker's loop; ``client`` is how a web process reaches a worker; ``resources`` sizes
the workers' limits from the machine.
"""
