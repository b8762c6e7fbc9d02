"""Writing a dataset into a remote SPARQL store, graph by graph (see ``loading``).

Each named graph is *replaced*, never appended to, through one of three writers
(Graph Store Protocol, SPARQL Update, Virtuoso's bulk loader), and the store is then
asked how many triples each graph holds. Here rather than in ``loading`` because the
remote store loads through them too (``RemoteStore.load``): ``remote`` → ``writers`` ←
``loading``, no loop.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..rdfio import RdfInputError
from .base import StoreError, StoreUnavailable

#: Triples per request: small enough for any server's request limits (Virtuoso parses an
#: INSERT DATA as one SQL text), large enough that requests are not the cost. A server
#: asking for digest authentication answers 401 before reading the body and closes: a
#: body larger than the socket buffers then breaks the pipe (5,000 N-Triples lines of
#: the 7,821-triple dataset did, against Virtuoso), and urllib retries with credentials
#: only after a complete 401.
CHUNK = 2_000
UPDATE_CHUNK = 1_000


@dataclass(frozen=True)
class Credentials:
    """A user and password for a write endpoint (from options or the environment)."""

    user: str
    password: str = field(repr=False)


# The dataset, one file per graph -----------------------------------------------------------

@dataclass(frozen=True)
class GraphFile:
    graph: str
    path: Path  # N-Triples, one triple a line
    triples: int


def split_by_graph(quads: Iterable[ox.Quad], directory: Path) -> list[GraphFile]:
    """Write each named graph's triples, without duplicates, to its own N-Triples file.

    Remote stores are loaded graph by graph, and a file may interleave graphs. Triples
    outside any named graph are refused: on a remote store the default graph is the union
    of the named ones (Virtuoso), so they would have no graph to be replaced with.
    """
    handles: dict[str, object] = {}
    paths: dict[str, Path] = {}
    counts: dict[str, int] = {}
    seen: set[bytes] = set()
    try:
        for quad in quads:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode):
                raise RdfInputError("the dataset has triples outside named graphs; a remote "
                                    "store is loaded one named graph at a time")
            line = f"{quad.subject} {quad.predicate} {quad.object} .\n".encode()
            digest = hashlib.blake2b(graph.value.encode() + b" " + line, digest_size=16).digest()
            if digest in seen:
                continue
            seen.add(digest)
            name = graph.value
            if name not in handles:
                paths[name] = directory / f"graph-{len(handles) + 1:04d}.nt"
                handles[name] = paths[name].open("wb")
                counts[name] = 0
            handles[name].write(line)
            counts[name] += 1
    finally:
        for handle in handles.values():
            handle.close()
    return [GraphFile(g, paths[g], counts[g]) for g in paths]


def _chunks(path: Path, size: int) -> Iterator[bytes]:
    with path.open("rb") as lines:
        while True:
            chunk = b"".join(line for _, line in zip(range(size), lines, strict=False))
            if not chunk:
                return
            yield chunk


# Writers ---------------------------------------------------------------------------------

class _HttpWriter:
    """Requests to a write endpoint: a client timeout, and basic or digest
    authentication chosen by the server's challenge (Virtuoso: digest; Fuseki: basic)."""

    method = "http"

    def __init__(self, url: str, credentials: Credentials | None = None,
                 timeout: float = 60.0) -> None:
        if not re.match(r"^https?://[^/?#\s]+", url):
            raise ValueError(f"{url}: a write endpoint must be an http(s) URL")
        self.url = url
        self.timeout = timeout
        handlers = []
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, credentials.user, credentials.password)
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords),
                        urllib.request.HTTPBasicAuthHandler(passwords)]
        # Our own opener: SPARQLWrapper's digest support installs a process-wide one.
        self._opener = urllib.request.build_opener(*handlers)

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": content_type})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as err:
            detail = " ".join(err.read(400).decode("utf-8", "replace").split())
            if err.code in (401, 403):
                raise StoreError(f"{self.url} refused to write (HTTP {err.code}): give "
                                 "--user/--password or FLGRAPH_STORE_USER/_PASSWORD") from None
            raise StoreError(f"{self.url} answered HTTP {err.code}: {detail[:200]}") from None
        except (urllib.error.URLError, OSError) as err:
            raise StoreUnavailable(f"{self.url} is unreachable: "
                                   f"{getattr(err, 'reason', err)}") from None

    def write(self, files: list[GraphFile]) -> None:
        for graph in files:
            self.replace(graph)

    def replace(self, graph: GraphFile) -> None:
        raise NotImplementedError


class GraphStoreWriter(_HttpWriter):
    """SPARQL 1.1 Graph Store HTTP Protocol, indirect graph identification (``?graph=``).

    The body is N-Triples sent as ``text/turtle`` (N-Triples is Turtle), the one RDF
    media type every Graph Store implementation accepts.
    """

    method = "SPARQL 1.1 Graph Store"

    def replace(self, graph: GraphFile) -> None:
        sep = "&" if "?" in self.url else "?"
        url = f"{self.url}{sep}{urllib.parse.urlencode({'graph': graph.graph})}"
        for number, chunk in enumerate(_chunks(graph.path, CHUNK)):
            self._send("POST" if number else "PUT", url, chunk, "text/turtle")


class UpdateWriter(_HttpWriter):
    """SPARQL 1.1 Update: the graph dropped and refilled. Terms are N-Triples written
    by pyoxigraph (escaped); graph IRIs come from a parsed file, so cannot hold ``>``."""

    method = "SPARQL 1.1 Update"

    def replace(self, graph: GraphFile) -> None:
        name = ox.NamedNode(graph.graph)
        operations = [f"DROP SILENT GRAPH {name}"]
        for chunk in _chunks(graph.path, UPDATE_CHUNK):
            operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{chunk.decode()}}} }}")
            self._update(" ;\n".join(operations))
            operations = []
        if operations:
            self._update(operations[0])

    def _update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        self._send("POST", self.url, body, "application/x-www-form-urlencoded")


#: The bulk loader clears the graphs before loading them: after a failure they may be empty.
_AGAIN = " (its graphs may be empty now: load again once fixed, it replaces them)"
_SQL_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~:/?#\[\]@!$&()*+,=%-]*$")
_SQL_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/+-]*$")


@dataclass(frozen=True)
class VirtuosoBulkLoader:
    """Virtuoso's bulk loader, driven through its ``isql`` client.

    The graphs are cleared, their files registered with ``ld_add`` and loaded by
    ``rdf_loader_run``; a ``checkpoint`` makes the result durable. The files are staged
    in ``directory``, which the server must be allowed to read (``DirsAllowed``) — the
    same machine, or a shared volume. The password is passed on isql's command line,
    the only way it takes one.
    """

    address: str  # HOST:PORT of Virtuoso's SQL port
    directory: Path
    credentials: Credentials
    program: str = "isql-vt"
    timeout: float = 3600.0
    method = "Virtuoso bulk loader"

    @property
    def url(self) -> str:
        return f"isql://{self.address}"

    def write(self, files: list[GraphFile]) -> None:
        for graph in files:
            if not _SQL_SAFE_IRI.match(graph.graph):
                raise StoreError(f"<{graph.graph}>: the bulk loader takes only plain graph "
                                 "IRIs; load this dataset with --graph-store")
        self._run(self._script(files))

    def _script(self, files: list[GraphFile]) -> str:
        ours = ", ".join(f"'{f.path}'" for f in files) or "''"
        lines = ["log_enable(3, 1);"]  # clearing large graphs without a huge transaction
        lines += [f"SPARQL CLEAR GRAPH <{f.graph}>;" for f in files]
        lines += [f"ld_add('{f.path}', '{f.graph}');" for f in files]
        lines += ["rdf_loader_run();", "checkpoint;",
                  "SELECT 'flgraph-load-error', ll_file, ll_error FROM DB.DBA.load_list "
                  f"WHERE ll_file IN ({ours}) AND ll_error IS NOT NULL;",
                  f"DELETE FROM DB.DBA.load_list WHERE ll_file IN ({ours});"]
        return "\n".join(lines) + "\n"

    def _run(self, script: str) -> None:
        program = shutil.which(self.program)
        if program is None:
            raise StoreError(f"{self.program} not found: install Virtuoso's isql client "
                             "or load with --graph-store")
        try:
            done = subprocess.run(
                [program, self.address, self.credentials.user, self.credentials.password,
                 "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"],
                input=script, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise StoreError(f"the bulk load did not finish in {self.timeout:g} s") from None
        errors = [line for line in done.stderr.splitlines() if line.startswith("*** Error")]
        if done.returncode != 0 or errors:
            message = errors[0] if errors else done.stderr.strip()[:200]
            if "Connect failed" in message:
                raise StoreUnavailable(f"Virtuoso at {self.address} is unreachable: {message}")
            ran = done.returncode == 0  # isql connected, so the clearing may have run
            raise StoreError(f"Virtuoso bulk load failed: {message}{_AGAIN if ran else ''}")
        failed = [line for line in done.stdout.splitlines() if "flgraph-load-error" in line]
        if failed:
            raise StoreError(f"Virtuoso could not load a file: {' '.join(failed[0].split())}"
                             f"{_AGAIN}")

    def stage(self) -> Path:
        """A fresh directory under ``directory``, readable by the server's user."""
        if not _SQL_SAFE_PATH.match(str(self.directory.resolve())):
            raise StoreError(f"{self.directory}: use a staging directory whose path has only "
                             "letters, digits and ._/+-")
        if not self.directory.is_dir():
            raise StoreError(f"{self.directory}: no such directory (it must be in the "
                             "server's DirsAllowed)")
        stage = Path(tempfile.mkdtemp(prefix="flgraph-load-", dir=self.directory.resolve()))
        stage.chmod(0o755)
        return stage


# Loading ---------------------------------------------------------------------------------

def load_quads(quads: Iterable[ox.Quad], writer, store) -> dict[str, int]:
    """Replace each graph of ``quads`` through ``writer``; check the counts on ``store``."""
    if isinstance(writer, VirtuosoBulkLoader):
        stage = writer.stage()
        cleanup = stage
    else:
        cleanup = stage = Path(tempfile.mkdtemp(prefix="flgraph-load-"))
    try:
        files = split_by_graph(quads, stage)
        for file in files:
            file.path.chmod(0o644)
        writer.write(files)
    finally:
        shutil.rmtree(cleanup, ignore_errors=True)
    expected = {f.graph: f.triples for f in files}
    _check_counts(store, expected)
    return expected


def _check_counts(store, expected: dict[str, int]) -> None:
    held = store.graph_sizes()
    for graph, triples in expected.items():
        if held.get(graph, 0) != triples:
            raise StoreError(f"after loading, <{graph}> holds {held.get(graph, 0)} triples "
                             f"where the data has {triples}")
