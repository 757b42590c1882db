"""`multipolar serve`: how soon its port opens, and its JSON endpoints under 20 concurrent clients.

1. Port open: ``--starts`` times, the command is started (``python -m multipolar.cli serve``, the
   code of this checkout) and the time from the process's start to the first successful TCP
   connection, and to the first answer of ``/`` (the home page, which needs no data), is taken;
   the medians are printed (bar: port open in < 3 s).
2. One server on ``--db`` (the embedded snapshot by default): the first request with data
   (``/api/meta``: it waits for the dyad measures and the blocs) and each kind of endpoint's
   first answer are timed, which reads every part of the data.
3. Cached: ``--urls`` URLs drawn from a mix of the API's endpoints (states, dyads, blocs by year,
   triangles, poles, the scoreboard, coverage) are requested once, then ``--clients`` threads, each
   with its own keep-alive connection, request them at random for ``--seconds``: every answer
   comes from the response cache.
4. Uncached: the same clients for ``--seconds``, every request a URL never requested before (a
   state's partners with another year or limit, a dyad with another span of years, another
   triangle, another span of poles), so every answer is computed.

For each load: p50/p95/p99 latency, throughput, errors (status >= 500 or a failed connection),
and p95 against the bar (50 ms).

    PYTHONPATH=src python benchmarks/serve.py [--db FILE] [--clients 20] [--seconds 20] [--starts 5]
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BAR_MS = 50.0
BAR_PORT_S = 3.0
SRC = str(Path(__file__).resolve().parent.parent / "src")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db: str | None, port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "multipolar.cli", "serve", "--port", str(port), "--db", db or "/nonexistent/none.duckdb"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def stop(p: subprocess.Popen) -> None:
    p.terminate()
    try:
        p.wait(15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def port_open(db: str | None) -> tuple[float, float]:
    """Seconds from the process's start to the first TCP connection, and to the first answer of /."""
    port = free_port()
    t0 = time.perf_counter()
    p = start(db, port)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                t_conn = time.perf_counter() - t0
                break
            except OSError:
                if p.poll() is not None:
                    raise SystemExit("the server stopped: " + p.stderr.read().decode())
                time.sleep(0.005)
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        con.request("GET", "/")
        r = con.getresponse()
        r.read()
        t_page = time.perf_counter() - t0
        if r.status != 200:
            raise SystemExit(f"/ answered {r.status}")
        con.close()
        return t_conn, t_page
    finally:
        stop(p)


def get(con: http.client.HTTPConnection, url: str):
    con.request("GET", url)
    r = con.getresponse()
    body = r.read()
    return r.status, body


def cached_mix(rng: random.Random, states: list[str], bloc_years: list[int]) -> str:
    k = rng.random()
    a, b, c = rng.sample(states, 3)
    if k < 0.25:
        return f"/api/state/{a}"
    if k < 0.50:
        y0 = rng.randint(1991, 2010)
        return f"/api/dyad/{a}/{b}?years={y0}:{y0 + 9}"
    if k < 0.70:
        return f"/api/blocs/{rng.choice(bloc_years)}"
    if k < 0.85:
        return f"/api/triangle?states={a},{b},{c}"
    return rng.choice(["/api/poles?years=1946:2019", "/api/scoreboard", "/api/coverage", "/api/meta", "/api/states"])


def uncached_urls(states: list[str], first: int, latest: int, seed: int = 1):
    """An endless stream of distinct URLs: the same mix of kinds, each URL new."""
    rng = random.Random(seed)
    seen: set[str] = set()
    while True:
        k = rng.random()
        a, b, c = rng.sample(states, 3)
        if k < 0.30:
            u = f"/api/state/{a}?year={rng.randint(max(first, 1991), latest)}&limit={rng.randint(5, 60)}"
        elif k < 0.65:
            y0 = rng.randint(max(first, 1991), latest - 1)
            u = f"/api/dyad/{a}/{b}?years={y0}:{rng.randint(y0, latest)}"
        elif k < 0.90:
            y0 = rng.randint(max(first, 1991), latest - 1)
            u = f"/api/triangle?states={a},{b},{c}&years={y0}:{latest}"
        else:
            y0 = rng.randint(first, latest - 1)
            u = f"/api/poles?years={y0}:{rng.randint(y0, min(latest, y0 + 99))}"
        if u not in seen:
            seen.add(u)
            yield u


def load(port: int, clients: int, seconds: float, next_url) -> dict:
    lat: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(i):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, st = [], {}
        while time.perf_counter() < stop_at:
            url = next_url(i)
            t = time.perf_counter()
            try:
                status, _ = get(c, url)
                st[status] = st.get(status, 0) + 1
                if status >= 500:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            lat.extend(mine)
            for k, v in st.items():
                statuses[k] = statuses.get(k, 0) + v
    ths = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t1 = time.perf_counter()
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    wall = time.perf_counter() - t1
    lat.sort()
    q = statistics.quantiles(lat, n=100)
    return {"n": len(lat), "wall": wall, "p50": q[49], "p95": q[94], "p99": q[98], "max": lat[-1], "errors": errors[0], "statuses": statuses}


def show(name: str, r: dict, clients: int) -> None:
    print(f"{name}: {clients} clients, {r['wall']:.1f} s, {r['n']:,} requests ({r['n'] / r['wall']:,.0f}/s), errors {r['errors']}, "
          f"statuses {dict(sorted(r['statuses'].items()))}")
    print(f"  latency ms: p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  p99 {r['p99']:.1f}  max {r['max']:.1f}   "
          f"p95 / bar ({BAR_MS:.0f} ms): {r['p95'] / BAR_MS:.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--starts", type=int, default=5, help="how many starts the port-open time is the median of")
    ap.add_argument("--urls", type=int, default=2000, help="distinct URLs in the cached load")
    ap.add_argument("--states", type=int, default=40, help="how many states the clients ask about (the mix's variety)")
    ap.add_argument("--src", default=None, help="the src/ folder of another checkout to measure (before/after)")
    args = ap.parse_args()
    if args.src:
        global SRC
        SRC = str(Path(args.src).resolve())
    print(f"code: {SRC}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")

    # 1. port open
    runs = [port_open(args.db) for _ in range(args.starts)]
    conn = [r[0] for r in runs]
    page = [r[1] for r in runs]
    print(f"port open: median {statistics.median(conn):.2f} s (runs: {', '.join(f'{x:.2f}' for x in conn)}); "
          f"first answer of /: median {statistics.median(page):.2f} s; bar {BAR_PORT_S:.0f} s")

    # 2. one server: the first request with data, and each endpoint's first answer
    port = free_port()
    t0 = time.perf_counter()
    srv = start(args.db, port)
    try:
        while True:
            try:
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                status, body = get(con, "/api/meta")
                break
            except OSError:
                if srv.poll() is not None:
                    raise SystemExit("the server stopped: " + srv.stderr.read().decode())
                time.sleep(0.05)
        meta = json.loads(body)
        print(f"first /api/meta (reads the measures and the blocs): {time.perf_counter() - t0:.1f} s after the start ({meta['basis']})")
        cold = {}
        for url in ["/api/state/IND", "/api/dyad/IND/PAK?years=1991:2019", "/api/blocs/1990", "/api/triangle?states=IND,PAK,CHN",
                    "/api/poles?years=1950:2019", "/api/scoreboard", "/api/coverage"]:
            t = time.perf_counter()
            st, _ = get(con, url)
            cold[url] = ((time.perf_counter() - t) * 1000, st)
        print("first answers (each builds what it needs if the warm-up has not yet):")
        for url, (ms, st) in cold.items():
            print(f"  {url:45s} {ms:9.1f} ms  ({st})")
        _, body = get(con, "/api/states")
        all_states = [s["code"] for s in json.loads(body)]
        rng = random.Random(0)
        majors = ["USA", "RUS", "CHN", "IND", "BRA", "DEU", "FRA", "GBR", "JPN", "TUR", "IRN", "SAU", "ZAF", "KAZ", "UKR"]
        states = majors + rng.sample([s for s in all_states if s not in majors], max(0, args.states - len(majors)))

        # 3. cached
        urls = list(dict.fromkeys(cached_mix(rng, states, meta["bloc_years"]) for _ in range(args.urls * 3)))[:args.urls]
        for u in urls:
            get(con, u)
        con.close()
        rngs = [random.Random(100 + i) for i in range(args.clients)]
        cached = load(port, args.clients, args.seconds, lambda i: rngs[i].choice(urls))
        show(f"cached ({len(urls):,} URLs, each answered once before)", cached, args.clients)

        # 4. uncached
        stream = uncached_urls(all_states, meta["first_year"], meta["latest_year"])
        lock = threading.Lock()

        def fresh(i):
            with lock:
                return next(stream)
        unc = load(port, args.clients, args.seconds, fresh)
        show("uncached (every URL new)", unc, args.clients)
    finally:
        stop(srv)
    print(f"summary: port open {statistics.median(conn):.2f} s; p95 cached {cached['p95']:.1f} ms; p95 uncached {unc['p95']:.1f} ms")


if __name__ == "__main__":
    main()
