"""What the tests and the benchmarks both use, and neither owns.

The answers read from the report by hand (``expected``), synthetic report-shaped data
(``synth``, ``synth_sections``, ``synth_phrases``), a throw-away Virtuoso (``virtuoso``),
clients on the loopback interface (``loopback``, ``slow_clients``) and the comparison of
two stores' answers (``answers``). They lived in ``tests`` or ``bench`` and each side
imported the other's modules, privates included; a package of their own, beside both,
lets ``tests`` and ``bench`` depend on it and never on each other.

It is not part of the installed ``flgraph`` package (a user of the site needs none of
it) and imports no pytest: a benchmark run needs no test framework. Tests and benchmarks
run from the repository root, which puts it on the import path.
"""
