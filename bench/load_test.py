"""The endpoint under attack: do normal clients notice?

``flgraph serve`` on the report's data (loopback only), many concurrent normal clients
(keep-alive sessions) mixing saved-query pages and CSV with parameters, resource pages
and /sparql queries for a fixed time — once alone, once while an attacker sends
pathological queries (cartesian products, path explosions, deep nesting, huge BGPs,
SERVICE) as fast as it is answered. Target (issue: hardening): zero errors for the
normal clients, and their p99 under attack within 2x of their p99 without.

Every client connects from its own loopback address (normal clients 127.0.1.x, the
attacker 127.0.0.2), as on the open web: the endpoint shares its public workers out per
client address. ``--fresh 0.05`` makes 5 % of the normal requests endpoint queries never
asked before, which no cache answers and which must meet a free public worker.

The attack can also come from many addresses (``--attack-addresses 64``: each query
from the next of 64 loopback addresses, as a botnet or an IPv6 /64 would send them) and
with slow sockets held open all through it (``--slow-sockets 1000``: one byte then
nothing, a body byte by byte, idle, an answer never read; testbed/slow_clients.py).
Every second the server's processes are sampled: the web processes' resident memory and
the query workers' process ids (a new id is a worker restarted). A soak is the same run
with longer phases (``--seconds 120``).

    python bench/load_test.py [--seconds 25] [--clients 24] [--attackers 4]
        [--attack-addresses 1] [--slow-sockets 0] [--no-record]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from common import ROOT, Server, record

sys.path.insert(0, str(ROOT))  # testbed: sessions from a chosen address, slow clients
from testbed.loopback import session_from
from testbed.slow_clients import slow_sockets

DATA = ROOT / "data" / "flgraph.trig"
ID = "https://w3id.org/flgraph/id/"
ATTACKER_ADDRESS = "127.0.0.2"
SPARQL_QUERIES = [
    "PREFIX flg: <https://w3id.org/flgraph/ontology#> SELECT ?c WHERE {{ ?l a "
    "flg:TypologyListing ; flg:country ?c }} LIMIT {n}",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE {{ "
    "<{country}> skos:prefLabel ?name }}",
    "PREFIX flg: <https://w3id.org/flgraph/ontology#> SELECT (COUNT(*) AS ?n) WHERE {{ ?l "
    "flg:country <{country}> }}",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ASK {{ <{country}> skos:prefLabel "
    "?name }}",
]
ATTACKS = [
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # {n}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?a (<http://x.org/p>|!<http://x.org/q>)* ?b . "
    "?c (^!<http://x.org/q>)* ?d }} # {n}",
    "SELECT * WHERE {{ " + "{{" * 3000 + "}}" * 3000 + " }} # {n}",
    "SELECT * WHERE {{ " + " ".join(f"?s <http://x.org/p{i}> ?o{i} ." for i in range(800))
    + " }} # {n}",
    "SELECT * WHERE {{ ?s " + " ; ".join(f"?p{i} ?o{i}" for i in range(140)) + " }} # {n}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }} # {n}",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors[error] += 1


def workload() -> list[str]:
    """The normal clients' requests: paths on the site, chosen at random."""
    text = DATA.read_text(encoding="utf-8")
    countries = sorted(set(re.findall(r"id/country/([A-Z]{3})>", text)))
    typologies = sorted(set(re.findall(r"id/(result-typology/[a-z0-9-]+)>", text)))
    output_typologies = sorted(set(re.findall(r"id/(output-typology/[a-z0-9-]+)>", text)))
    indicators = sorted(set(re.findall(r"id/(indicator/[0-9.]+)>", text)))
    paths = []
    for code in countries:
        paths += [f"/queries/country-profile?country=country/{code}",
                  f"/queries/results-chain.csv?country=country/{code}",
                  f"/id/country/{code}"]
        for template in SPARQL_QUERIES[1:]:
            query = template.format(country=f"{ID}country/{code}")
            paths.append("/sparql?query=" + quote(query))
    for typology in typologies:
        paths += [f"/queries/countries-by-result-typology?typology={typology}",
                  f"/id/{typology}"]
    for typology in output_typologies:
        paths += [f"/queries/outputs-by-typology.csv?typology={typology}", f"/id/{typology}"]
    paths += [f"/id/{indicator}" for indicator in indicators]
    paths += ["/queries/table-1", "/queries/target-vs-result-by-region.csv", "/"]
    paths += ["/sparql?query=" + quote(SPARQL_QUERIES[0].format(n=n)) for n in range(1, 40)]
    return paths


def client_address(n: int) -> str:
    """Each normal client's own loopback address, as readers on the open web have theirs
    (the endpoint shares its public workers out per client address)."""
    return f"127.0.1.{n + 1}"


def fresh_query(rng: random.Random) -> str:
    """An endpoint query no cache has seen: it must be run by a query worker."""
    return "/sparql?query=" + quote(SPARQL_QUERIES[0].format(n=rng.randrange(40, 10**9)))


def client(url: str, paths: list[str], until: float, tally: Tally, seed: int,
           fresh: float = 0.0, pages: Tally | None = None) -> None:
    rng = random.Random(seed)
    session = session_from(client_address(seed))
    while time.monotonic() < until:
        path = fresh_query(rng) if rng.random() < fresh else rng.choice(paths)
        started = time.monotonic()
        error = None
        try:
            response = session.get(url + path, timeout=30)
            if response.status_code != 200:
                error = f"{response.status_code} {path.split('?')[0]} ({reason(response)})"
        except requests.RequestException as err:
            error = type(err).__name__
        tally.add(time.monotonic() - started, error)
        if pages is not None and not path.startswith("/sparql"):
            pages.add(time.monotonic() - started, error)


def reason(response: requests.Response) -> str:
    """The first words of an error's text: which refusal it was (a share, a busy lane,
    a deadline)."""
    text = re.sub(r"<[^>]+>", " ", response.text)
    return " ".join(text.split()[:8])[:60]


def attack_address(n: int, addresses: int) -> str:
    """The address of an attacker's ``n``-th query: 127.0.0.2 alone, or one of
    ``addresses`` in 127.0.4.0/22 in turn."""
    if addresses <= 1:
        return ATTACKER_ADDRESS
    k = n % addresses
    return f"127.0.{4 + k // 250}.{1 + k % 250}"


def attacker(url: str, until: float, tally: Tally, seed: int, addresses: int = 1) -> None:
    sessions: dict[str, requests.Session] = {}
    n = seed * 1_000_000
    while time.monotonic() < until:
        n += 1
        source = attack_address(n, addresses)
        session = sessions.get(source) or sessions.setdefault(source, session_from(source))
        query = ATTACKS[n % len(ATTACKS)].format(n=n)
        started = time.monotonic()
        try:
            response = session.post(url + "/sparql", data=query.encode(), timeout=30,
                                     headers={"Content-Type": "application/sparql-query"})
            outcome = str(response.status_code)
        except requests.RequestException as err:
            outcome = type(err).__name__
        tally.add(time.monotonic() - started, outcome)


class Sampler(threading.Thread):
    """Once a second: the web processes' RSS (the server's children, the engine apart) and
    the query workers' pids (the engine's generations' children: a new pid is a worker
    forked anew, after a kill at its deadline or a memory cap)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.web_rss: list[int] = []  # total of the web processes, bytes, per sample
        self.workers: set[int] = set()
        self.stopped = threading.Event()

    def sample(self) -> None:
        import psutil

        try:
            children = psutil.Process(self.pid).children()
            engines = [p for p in children if "flgraph.query.engine.server" in p.cmdline()]
            web = [p for p in children if p not in engines]
            rss = sum(process.memory_info().rss for process in web)
            workers = {worker.pid for engine in engines for generation in engine.children()
                       for worker in generation.children()}
        except psutil.Error:
            return
        self.web_rss.append(rss)
        self.workers |= workers

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            self.sample()


def health_probe(url: str, until: float, tally: Tally) -> None:
    """``/health`` five times a second from an address of its own (127.0.3.1), as a
    monitor would ask it."""
    session = session_from("127.0.3.1")
    while time.monotonic() < until:
        started = time.monotonic()
        error = None
        try:
            response = session.get(url + "/health", timeout=30)
            if response.status_code != 200:
                error = f"{response.status_code} /health"
        except requests.RequestException as err:
            error = type(err).__name__
        tally.add(time.monotonic() - started, error)
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))


def run_phase(url: str, paths: list[str], seconds: float, clients: int, attackers: int,
              fresh: float = 0.0, addresses: int = 1, pages: Tally | None = None,
              health: Tally | None = None) -> tuple[Tally, Tally]:
    """The normal clients' and the attackers' tallies (``pages``: the normal clients'
    requests of pages, apart from their /sparql queries; ``health``: a monitor's)."""
    until = time.monotonic() + seconds
    normal, attack = Tally(), Tally()
    threads = [threading.Thread(target=client, args=(url, paths, until, normal, i, fresh,
                                                      pages))
               for i in range(clients)]
    if health is not None:
        threads.append(threading.Thread(target=health_probe, args=(url, until, health)))
    threads += [threading.Thread(target=attacker, args=(url, until, attack, i + 1, addresses))
                for i in range(attackers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return normal, attack


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fresh_note(share: float) -> str:
    if not share:
        return ""
    return f"; plus {share:.0%} of requests endpoint queries never asked before"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(name: str, tally: Tally, seconds: float, errors: bool = True) -> tuple[str, float]:
    ms = [v * 1000 for v in tally.latencies]
    p99 = percentile(ms, 99)
    count = sum(tally.errors.values()) if errors else "–"
    row = (f"| {name} | {len(ms)} | {len(ms) / seconds:.0f} | {count} | "
           f"{statistics.median(ms):.1f} | {percentile(ms, 95):.1f} | {p99:.1f} |")
    return row, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--fresh", type=float, default=0.0,
                        help="Share of normal requests that are endpoint queries never "
                             "asked before (cache misses), e.g. 0.05.")
    parser.add_argument("--attack-addresses", type=int, default=1,
                        help="Addresses the attackers' queries come from, in turn.")
    parser.add_argument("--slow-sockets", type=int, default=0,
                        help="Slow or idle sockets held open during the attack phase.")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for flgraph serve")
    args = parser.parse_args()
    paths = workload()
    with Server("--data", str(DATA), *args.serve_args) as server:
        # every normal request once, then a short mix: caches warm for both phases alike
        warm = requests.Session()
        progress(f"warming the caches: {len(paths)} requests")
        for path in paths:
            warm.get(server.url + path, timeout=30)
        progress(f"warm-up mix, {args.warmup:g} s")
        run_phase(server.url, paths, args.warmup, args.clients, 0)
        sampler = Sampler(server.process.pid)
        sampler.sample()
        start_workers, start_rss = len(sampler.workers), sampler.web_rss[-1]
        sampler.start()
        loads = [os.getloadavg()[0]]  # the machine is shared: say how busy it was
        progress(f"normal clients alone, {args.seconds:g} s")
        quiet_pages, loud_pages = Tally(), Tally()
        quiet_health, loud_health = Tally(), Tally()
        quiet, _ = run_phase(server.url, paths, args.seconds, args.clients, 0, args.fresh,
                             pages=quiet_pages, health=quiet_health)
        quiet_workers, quiet_rss = len(sampler.workers), max(sampler.web_rss)
        loads.append(os.getloadavg()[0])
        progress(f"normal clients under attack, {args.seconds:g} s")
        with slow_sockets(server.url, args.slow_sockets, read_path="/queries/table-1") as held:
            loud, attack = run_phase(server.url, paths, args.seconds, args.clients,
                                     args.attackers, args.fresh, args.attack_addresses,
                                     loud_pages, loud_health)
            slow = len(held)
        loads.append(os.getloadavg()[0])
        sampler.stopped.set()
        sampler.join()
        alive = server.process.poll() is None
    rows = ["| phase | requests | per s | errors | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    quiet_row, quiet_p99 = summary("normal clients, no attacker", quiet, args.seconds)
    loud_row, loud_p99 = summary("normal clients, under attack", loud, args.seconds)
    attack_row, _ = summary("attacker", attack, args.seconds, errors=False)
    rows += [quiet_row, loud_row, attack_row,
             summary("… of which pages (not /sparql), no attacker", quiet_pages,
                     args.seconds)[0],
             summary("… of which pages (not /sparql), under attack", loud_pages,
                     args.seconds)[0]]
    _, quiet_pages_p99 = summary("", quiet_pages, args.seconds)
    _, loud_pages_p99 = summary("", loud_pages, args.seconds)
    health_rows = [summary("/health (a monitor, 5 per s), no attacker", quiet_health,
                           args.seconds),
                   summary("/health (a monitor, 5 per s), under attack", loud_health,
                           args.seconds)]
    rows += [row for row, _ in health_rows]
    ratio = loud_p99 / quiet_p99 if quiet_p99 else float("inf")
    pages_ratio = loud_pages_p99 / quiet_pages_p99 if quiet_pages_p99 else float("inf")
    health_ratio = (health_rows[1][1] / health_rows[0][1] if health_rows[0][1]
                    else float("inf"))
    health_errors = sum(quiet_health.errors.values()) + sum(loud_health.errors.values())
    errors = sum(quiet.errors.values()) + sum(loud.errors.values())
    verdict = "met" if errors == 0 and ratio <= 2 and alive else "MISSED"
    body = "\n".join([
        f"{args.clients} normal clients (keep-alive, each from its own loopback address, "
        f"{len(paths)} distinct requests: saved-query pages and CSV with parameters, "
        f"resource pages, /sparql queries, all answered once before the phases"
        f"{fresh_note(args.fresh)}), {args.seconds:g} s "
        f"per phase after a warm-up; {args.attackers} attackers from {ATTACKER_ADDRESS} "
        "sending pathological queries (cartesian products, path explosions, deep nesting, "
        "huge BGPs, SERVICE) back to back"
        + (f" from {args.attack_addresses} addresses in turn" if args.attack_addresses > 1
           else "")
        + (f", {slow} slow or idle sockets held open all through the attack"
           if args.slow_sockets else "") + ". `flgraph serve` defaults"
        + (f" plus `{' '.join(args.serve_args)}`" if args.serve_args else "") + ".",
        "", *rows, "",
        f"Attacker answers: {dict(sorted(attack.errors.items()))}.",
        f"Normal clients' errors: {dict(quiet.errors + loud.errors) or 'none'}.",
        f"p99 under attack / p99 without: **{ratio:.2f}** (target ≤ 2, zero errors): "
        f"{verdict}; server alive afterwards: {alive}.",
        f"Pages' p99 under attack / without: **{pages_ratio:.2f}**; /health's: "
        f"**{health_ratio:.2f}** ({health_errors} /health errors) (target ≤ 2 each).",
        f"Query workers restarted: {quiet_workers - start_workers} without the attack, "
        f"{len(sampler.workers) - quiet_workers} under it. Web processes' RSS (total): "
        f"{start_rss / 2**20:.0f} MB at the start, peak {quiet_rss / 2**20:.0f} MB without "
        f"the attack, {max(sampler.web_rss) / 2**20:.0f} MB under it (target: ≤ +50 MB).",
        f"Load average (1 min; {os.cpu_count()} cores) at the start of each phase and at the "
        f"end: {', '.join(f'{load:.1f}' for load in loads)}.",
    ])
    print(body)
    if not args.no_record:
        record("Load test: normal clients with and without an attacker", body)


if __name__ == "__main__":
    main()
