"""The ``flgraph`` command: build, validate, query, export, serve, load.

Only composes the other modules. Exit codes: 0 success, 1 data invalid or query failed,
2 usage or input error — each failure with a one-line reason on stderr, never a
traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import paths
from .query.exit_codes import EXIT_FAILED, EXIT_INPUT

EXIT_INVALID = EXIT_FAILED  # the exit codes of query.errors, for the data too


class Failure(click.ClickException):
    """A one-line error and an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code

    def show(self, file=None) -> None:
        click.echo(f"flgraph: error: {self.format_message()}", err=True)


def reports_errors(command):
    """Turn the errors a user can cause into one-line messages and exit codes. The error
    classes are imported only when an error comes: importing them (the extractor, the
    build, their libraries) took 0.2 s before every command, ``flgraph serve``'s start
    among them."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own, and a Failure already said
        except Exception as err:
            failure = _failure(err)
            if failure is None:
                raise
            raise failure from err

    return wrapper


def _failure(err: Exception) -> Failure | None:
    """The one-line failure an error a user can cause is reported as; None for others."""
    from .build import InvalidDataset
    from .durable import WriteFailed
    from .extract import SourceError
    from .query.errors import QUERY_FAILURES, failure_of
    from .query.saved import QueryDefinitionError
    from .rdfio import RdfInputError
    from .reference import ReferenceTableError

    if isinstance(err, InvalidDataset):
        click.echo(err.report.text(), err=True)
        return Failure(str(err) + "; nothing was written", EXIT_INVALID)
    if isinstance(err, SourceError | ReferenceTableError | RdfInputError
                  | QueryDefinitionError):
        return Failure(str(err), EXIT_INPUT)
    if isinstance(err, QUERY_FAILURES):  # a query's failure: its row of the one table
        failure = failure_of(err)
        return Failure(failure.cli_message(err), failure.exit_code)
    if isinstance(err, WriteFailed):
        return Failure(str(err), EXIT_INVALID)
    return None


def data_and_store(command):
    """``--data`` and ``--store``, as every command that reads the served data takes them
    (``data``, ``store_spec``)."""
    command = click.option("--store", "store_spec", default="memory", show_default=True,
                           help="memory, oxigraph:PATH or sparql:URL.")(command)
    return click.option("--data", type=click.Path(path_type=Path),
                        help="Dataset file (default: data/flgraph.trig).")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _show_version(ctx, value),
              help="Show the version and exit.")
def main() -> None:
    """flgraph: the ILO programme implementation report on forced labour as linked data."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Dataset file to write (default: data/flgraph.trig).")
@click.option("--base", help="Base IRI of instances (default: https://w3id.org/flgraph/id/).")
@reports_errors
def build(sources: tuple[Path, ...], output: Path | None, base: str | None) -> None:
    """Build the validated dataset from report sections (default: data/source/*.txt).

    The dataset is validated with the SHACL shapes and written atomically; if it
    violates a shape, nothing is written. The same input gives byte-identical output.
    """
    from .build import build as run_build
    from .build import default_sources

    chosen = list(sources) or default_sources()
    if not chosen:
        raise Failure(f"no report sections in {paths.source_dir()} (expected *.txt files)",
                      EXIT_INPUT)
    for source in chosen:
        if not source.is_file():
            raise Failure(f"{source}: no such file", EXIT_INPUT)
    result = run_build(chosen, output, base)
    click.echo(f"built {result.output}: {result.triples} triples in {result.graphs} graphs "
               f"from {result.sources} source(s); {result.report.summary()}")


@main.command()
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--engine", type=click.Choice(["pyshacl", "fast"]), default="pyshacl",
              show_default=True, help="pyshacl (the reference) or fast (the shapes compiled "
              "to SPARQL on Oxigraph: the same findings, for large data).")
@reports_errors
def validate(data: Path | None, fmt: str, engine: str) -> None:
    """Validate a dataset file (default: data/flgraph.trig) with the SHACL shapes.

    Exit status 0 when it conforms, 1 when it has violations, 2 when it cannot be read
    (or when the fast engine cannot run the shapes).
    """
    from .rdfio import read_quads
    from .validation.validate import validate_quads

    path = _data_file(data)
    if engine == "fast":
        from .validation.shacl import ShaclRuntimeError, UnsupportedShapes

        try:
            report = validate_quads(read_quads(path), engine="fast")
        except (UnsupportedShapes, ShaclRuntimeError) as err:
            raise Failure(f"{err} (use --engine pyshacl)", EXIT_INPUT) from err
    else:
        report = validate_quads(read_quads(path))
    click.echo({"text": report.text, "turtle": lambda: report.turtle,
                "json": report.json}[fmt]())
    if not report.conforms:
        sys.exit(EXIT_INVALID)


@main.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the saved query (repeatable).")
@data_and_store
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
              default="table", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Most rows to return.")
@reports_errors
def query(name: str, params: tuple[str, ...], data: Path | None, store_spec: str, fmt: str,
          limit: int | None) -> None:
    """Run a saved query by NAME (see queries/) or a .rq FILE."""
    from .query.saved import bind_params, load_queries, read_query
    from .store.results import serialize, text_table

    if name.endswith(".rq"):
        saved = read_query(Path(name))
    else:
        saved_queries = load_queries()
        if name not in saved_queries:
            raise Failure(f"no saved query '{name}' (known: {', '.join(saved_queries)})",
                          EXIT_INPUT)
        saved = saved_queries[name]
    raw = dict(_key_value(p) for p in params)
    bindings = bind_params(saved, raw)
    from .query.service import QueryRequest

    service = _service(store_spec, data)
    service.check_members(saved, bindings)
    result = service.run(QueryRequest(saved.text, bindings, limit=limit))
    if fmt == "table":
        click.echo(text_table(result))
    else:
        out = serialize(result, fmt if fmt != "table" else "json")
        click.echo(out.decode("utf-8"), nl=not out.endswith(b"\n"))


@main.command()
@click.argument("text", metavar="QUERY")
@data_and_store
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True,
              help="Most hits to show.")
@reports_errors
def search(text: str, data: Path | None, store_spec: str, fmt: str, limit: int) -> None:
    """Full-text search of the report's things: words, "phrases", prefix*, OR, NOT."""
    import json
    import tempfile

    from .search import SearchIndex, SearchQueryError, build_index
    from .search.query import to_fts

    try:
        to_fts(text)  # a bad search is told before the index is built
    except SearchQueryError as err:
        raise Failure(f"search: {err}", EXIT_INPUT) from err
    with tempfile.TemporaryDirectory(prefix="flgraph-search-") as directory:
        path = Path(directory) / "search.sqlite"
        build_index(_open(store_spec, data), path)
        hits = SearchIndex(path).search(text, size=limit)
    if fmt == "json":
        click.echo(json.dumps({"query": text, "total": hits.total,
                               "hits": [hit.as_dict() for hit in hits.hits]},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{hits.total} found" + (f", the first {limit}" if hits.total > limit else ""))
    for rank, hit in enumerate(hits.hits, start=1):
        click.echo(f"{rank:>3}. {hit.title} ({hit.kind})  <{hit.iri}>")
        click.echo(f"     {' '.join(hit.marked_snippet().split())}")


@main.command()
@click.argument("target")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the saved query (repeatable).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "bibtex", "ris", "csl-json", "cff"]),
              help="cff: the repository's CITATION.cff (the dataset, at its release number).")
@data_and_store
@click.option("--site", default="http://127.0.0.1:8000/", show_default=True,
              help="The site serving the saved queries (their shareable URLs).")
@reports_errors
def cite(target: str, params: tuple[str, ...], fmt: str, data: Path | None, store_spec: str,
         site: str) -> None:
    """How to cite TARGET: a resource's IRI (or id/… path) or a saved query's name, as the
    site's Cite box gives it."""
    from urllib.parse import urlencode

    from . import citation
    from .query.saved import bind_params, load_queries
    from .query.service import QueryRequest

    run = _service(store_spec, data).run
    card = citation.card_from_rows(run(QueryRequest(_internal("dataset-card"))).dicts())
    if fmt == "cff":
        from .archive import repository_citation
        from .release import read_release

        click.echo(repository_citation(card, read_release()), nl=False)
        return
    saved = load_queries().get(target)
    if saved is not None:
        raw = dict(_key_value(p) for p in params)
        bind_params(saved, raw)  # refuses unknown or ill-typed parameters
        url = (f"{site.rstrip('/')}/queries/{target}"
               + (f"?{urlencode(raw, safe='/')}" if raw else ""))  # as the site writes it
        given = "; ".join(f"{k} = {v}" for k, v in raw.items() if v)
        cited = citation.Cited(f"{saved.title} ({given})" if given else saved.title, url)
    else:
        cited = _cited_resource(run, target, card)
    click.echo(citation.render(card, cited, fmt).rstrip("\n"))


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="A new (or empty) directory for the release.")
@click.option("--version", "number", default=None, metavar="X.Y.Z",
              help="The release number (default: data/release.yaml's).")
@click.option("--data", type=click.Path(path_type=Path), help="Dataset file (default: "
              "data/flgraph.trig).")
@click.option("--site", default="https://w3id.org/flgraph/", show_default=True,
              help="The address the release's descriptions name (dump and query URLs).")
@reports_errors
def release(output: Path, number: str | None, data: Path | None, site: str) -> None:
    """Write a release for a data archive: dumps in every RDF format, each saved query as
    CSV + CSVW metadata + XLSX, ontology, shapes, VoID/DCAT, validation report,
    CITATION.cff, README and SHA256SUMS. The same data gives the same bytes."""
    import re

    from .archive import ReleaseRefused, write_release
    from .release import ReleaseError, read_release

    if number is not None and not re.fullmatch(r"\d+\.\d+\.\d+", number):
        raise Failure(f"--version expects X.Y.Z, got '{number}'", EXIT_INPUT)
    try:
        written = write_release(_data_file(data), output, read_release(), site, number)
    except (ReleaseRefused, ReleaseError) as err:
        raise Failure(str(err), EXIT_INPUT) from err
    click.echo(f"released {len(written) + 1} files into {output} (checksums in SHA256SUMS)")


def _internal(name: str) -> str:
    from .web.internal_queries import sparql

    return sparql(name)


def _cited_resource(run, target: str, card):
    """A resource as cited: its label and where its first evidence stands in the report."""
    import pyoxigraph as ox

    from . import namespaces as ns
    from .query.service import QueryRequest
    from .web import citing
    from .web.evidence import citations
    from .web.links import Links

    iri = target if "://" in target else ns.BASE + target.lstrip("/")
    try:
        this = ox.NamedNode(iri)
    except ValueError as err:
        raise Failure(f"'{target}' is neither a saved query nor an IRI", EXIT_INPUT) from err
    labels = run(QueryRequest(_internal("resource-label"), {"this": this})).dicts()
    evidence = run(QueryRequest(_internal("resource-evidence"), {"this": this})).dicts()
    if not labels and not evidence:
        raise Failure(f"<{iri}> is not described in this dataset, and no saved query is "
                      f"named '{target}'", EXIT_INPUT)
    found = citations(evidence, [], Links(ns.BASE))
    title = labels[0]["label"].value if labels else iri
    return citing.resource_cited(title, iri, citing.where(found[0].where) if found else (),
                                 card)


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Dataset file (default: "
              "data/flgraph.trig).")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "rdfxml"]))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (default: standard output).")
@reports_errors
def export(data: Path | None, fmt: str, output: Path | None) -> None:
    """Export the dataset in another RDF format (ttl and nt merge the named graphs)."""
    from .build import write_atomically
    from .rdfio import format_for, read_quads, write_quads

    quads = read_quads(_data_file(data))
    target = format_for(fmt)
    if output:
        write_atomically(output, lambda path: write_quads(quads, path, target))
    else:
        sys.stdout.buffer.write(write_quads(quads, None, target))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--data", type=click.Path(path_type=Path), help="Dataset file for the embedded "
              "store (default: data/flgraph.trig).")
@click.option("--store", "store_spec", default="memory", show_default=True,
              help="memory, oxigraph:PATH (on disk, loaded by 'flgraph load') or sparql:URL.")
@click.option("--base", default="https://w3id.org/flgraph/", show_default=True,
              help="The dataset's base IRI, served under this site's own address.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Web server processes.")
@click.option("--query-workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Query processes per web process; a query past its deadline is killed "
                   "(0: run queries in the web process, which cannot stop them).")
@click.option("--public-workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Query processes per web process for queries typed at /sparql, apart "
                   "from the site's own (0: share the query workers).")
@click.option("--per-client", default=1, show_default=True, type=click.IntRange(0, 64),
              help="/sparql queries one client (an address, an IPv6 /64) may run at once "
                   "per web process, so that one client cannot hold every public worker; "
                   "its others wait their turn (0: no limit; behind a reverse proxy give "
                   "--trusted-proxy).")
@click.option("--timeout", "query_timeout", default=5.0, show_default=True,
              type=click.FloatRange(0.1, 3600), help="Seconds a query may run.")
@click.option("--row-limit", default=10_000, show_default=True, type=click.IntRange(1),
              help="Most rows a query returns; more is reported as truncated.")
@click.option("--access-log", is_flag=True, help="Log every request to standard output.")
@click.option("--watch", is_flag=True, help="Reload the data file when it changes (as SIGHUP "
              "does); a file that does not load is refused and the old data keeps serving.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="CIDR",
              help="A reverse proxy in front (address or network; repeatable) whose "
              "X-Forwarded-For names the client, for sharing the server per client.")
@click.option("--http-server", type=click.Choice(["granian", "gunicorn"]), default="granian",
              show_default=True, help="The HTTP server in front (gunicorn: for comparison; "
              "its threads wait on slow clients).")
@click.option("--search-at-start/--search-on-demand", default=True, show_default=True,
              help="Build the search index as the server starts, so that a reader's first "
              "search finds it ready (on demand: the first search starts it, and is "
              "answered 503 with Retry-After until it is there).")
@reports_errors
def serve(host: str, port: int, data: Path | None, store_spec: str, base: str, workers: int,
          query_workers: int, public_workers: int, per_client: int, query_timeout: float,
          row_limit: int, access_log: bool, watch: bool, trusted_proxies: tuple[str, ...],
          http_server: str, search_at_start: bool) -> None:
    """Serve the site, the SPARQL endpoint and the linked data (granian).

    The engine is started first, with nothing imported that it does not need (the site's
    modules, Flask among them, are imported while it loads the data): its start is the
    longest part of the server's."""
    if _spec(store_spec).in_memory:
        data = _data_file(data)
    from .config import Limits

    config = {"FLGRAPH_STORE": store_spec, "FLGRAPH_DATA": data, "FLGRAPH_BASE": base,
              "FLGRAPH_QUERY_WORKERS": query_workers,
              "FLGRAPH_PUBLIC_WORKERS": public_workers if query_workers else 0,
              "FLGRAPH_LIMITS": Limits(timeout=query_timeout, row_limit=row_limit,
                                       public_per_client=per_client),
              "FLGRAPH_TRUSTED_PROXIES": _trusted(trusted_proxies),
              "FLGRAPH_SEARCH_AT_START": search_at_start}
    _check_store(config)
    from .query.engine.launch import engine_for
    from .query.engine.snapshot import SnapshotError

    try:
        # the site is imported while the engine loads the data (two processes, two cores)
        with engine_for(config, workers, watch,
                        meanwhile=lambda: _import_site(http_server)) as engine:
            from .web.serve import serve as run_server

            click.echo(f"flgraph: serving http://{host}:{port}/ ({store_spec})", err=True)
            run_server(config, host=host, port=port, workers=workers, access_log=access_log,
                       http_server=http_server, on_reload=engine.reload if engine else None)
    except SnapshotError as err:
        raise Failure(str(err), EXIT_INPUT) from None


def _show_version(ctx: click.Context, asked: bool) -> None:
    """``--version``: the installed version, read only when asked for (reading the
    package metadata costs 30-50 ms, which every other command would pay)."""
    if not asked or ctx.resilient_parsing:
        return
    from . import __version__

    click.echo(f"flgraph, version {__version__}")
    ctx.exit()


def _trusted(specs: tuple[str, ...]) -> tuple[str, ...]:
    """The --trusted-proxy values, checked here so that a bad one is a usage error."""
    if not specs:
        return specs
    from .web.clients import trusted_networks

    try:
        trusted_networks(specs)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--trusted-proxy") from None
    return specs


def _import_site(http_server: str) -> None:
    from .web.serve import import_site

    import_site(http_server)


def _check_store(config: dict) -> None:
    """Open the store once before forking workers, so a bad --store fails here, clearly.
    The memory store has nothing to open (the engine, or the web process, reads the data
    file and says why it cannot)."""
    spec = config["FLGRAPH_STORE"]
    if _spec(spec).in_memory:
        return
    from .store import open_store

    try:
        store = open_store(spec, None)
    except ValueError as err:
        raise Failure(str(err), EXIT_INPUT) from err
    store.close()


def _key_value(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise Failure(f"--param expects NAME=VALUE, got '{text}'", EXIT_INPUT)
    key, value = text.split("=", 1)
    return key.strip(), value


def _data_file(data: Path | None) -> Path:
    path = data or paths.dataset_file()
    if not path.is_file():
        hint = "; run 'flgraph build' first" if data is None else ""
        raise Failure(f"{path}: no such dataset file{hint}", EXIT_INPUT)
    return path


def _service(store_spec: str, data: Path | None):
    """The query service of a command, built as the web's is (query/factory.py)."""
    from .query import factory

    spec = _spec(store_spec)
    try:
        return factory.for_cli(spec.spec, _data_file(data) if spec.in_memory else None)
    except ValueError as err:
        raise Failure(str(err), EXIT_INPUT) from err


def _open(store_spec: str, data: Path | None):
    from .store import open_store

    spec = _spec(store_spec)
    try:
        return open_store(spec.spec, _data_file(data) if spec.in_memory else None)
    except ValueError as err:
        raise Failure(str(err), EXIT_INPUT) from err


def _spec(store_spec: str):
    """The ``--store`` option read (store/spec.py); a usage error when it names no store."""
    from .store.spec import StoreSpec

    try:
        return StoreSpec.parse(store_spec)
    except ValueError as err:
        raise Failure(str(err), EXIT_INPUT) from err


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Dataset file (default: "
              "data/flgraph.trig).")
@click.option("--store", "store_spec", metavar="oxigraph:PATH",
              help="Bulk-load an on-disk Oxigraph store, for 'serve --store oxigraph:PATH'.")
@click.option("--endpoint", metavar="URL", help="The remote store's SPARQL query endpoint: it "
              "checks the load, and receives it as SPARQL Update unless told otherwise.")
@click.option("--graph-store", metavar="URL", help="A SPARQL 1.1 Graph Store endpoint: each "
              "graph is replaced by PUT (Virtuoso: /sparql-graph-crud-auth).")
@click.option("--update", "update_url", metavar="URL", help="A SPARQL 1.1 Update endpoint, if "
              "not the query endpoint (Virtuoso: /sparql-auth).")
@click.option("--virtuoso-isql", metavar="HOST:PORT", help="Use Virtuoso's bulk loader through "
              "isql on this SQL port (fastest for large data).")
@click.option("--virtuoso-dir", type=click.Path(path_type=Path), help="With --virtuoso-isql: "
              "a directory the server may read (DirsAllowed) to stage the files in.")
@click.option("--user", envvar="FLGRAPH_STORE_USER", help="User for the write endpoint "
              "[env FLGRAPH_STORE_USER].")
@click.option("--password", envvar="FLGRAPH_STORE_PASSWORD", help="Its password; prefer the "
              "environment [env FLGRAPH_STORE_PASSWORD].")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0.1, 86400),
              help="Seconds per request.")
@reports_errors
def load(data: Path | None, store_spec: str | None, endpoint: str | None,
         graph_store: str | None, update_url: str | None, virtuoso_isql: str | None,
         virtuoso_dir: Path | None, user: str | None, password: str | None,
         timeout: float) -> None:
    """Load the dataset into a store that outlives the process.

    Remote: one named graph per graph of the file, each replaced, so loading twice gives
    the same store; the counts are checked through --endpoint afterwards. On-disk
    Oxigraph: bulk-loaded, then served after every restart without reloading.
    """
    from .store import loading

    path = _data_file(data)
    if (store_spec is None) == (endpoint is None):
        raise Failure("give either --store oxigraph:PATH or --endpoint URL", EXIT_INPUT)
    if store_spec is not None:
        from .store.spec import ON_DISK, StoreSpec

        try:
            spec = StoreSpec.parse(store_spec)
        except ValueError:
            spec = None
        if spec is None or spec.kind != ON_DISK:
            raise Failure(f"--store {store_spec}: only oxigraph:PATH is loaded this way",
                          EXIT_INPUT)
        report = loading.load_oxigraph(Path(spec.location), path)
        click.echo(report.summary())
        return
    if sum(x is not None for x in (graph_store, update_url, virtuoso_isql)) > 1:
        raise Failure("choose one of --graph-store, --update and --virtuoso-isql", EXIT_INPUT)
    credentials = loading.Credentials(user, password or "") if user else None
    try:
        if virtuoso_isql is not None:
            if virtuoso_dir is None or credentials is None:
                raise Failure("--virtuoso-isql needs --virtuoso-dir and --user/--password",
                              EXIT_INPUT)
            writer = loading.VirtuosoBulkLoader(virtuoso_isql, virtuoso_dir, credentials,
                                                timeout=max(timeout, 600.0))
        elif graph_store is not None:
            writer = loading.GraphStoreWriter(graph_store, credentials, timeout)
        else:
            writer = loading.UpdateWriter(update_url or endpoint, credentials, timeout)
        report = loading.load_remote(path, writer, endpoint, timeout)
    except ValueError as err:
        raise Failure(str(err), EXIT_INPUT) from err
    click.echo(report.summary())
