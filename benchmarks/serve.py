"""Dashboard JSON endpoints under load: 20 concurrent clients on loopback for 30 s.

Starts ``multipolar serve`` (the embedded snapshot by default, or ``--db``), waits until it answers,
then runs ``--clients`` threads, each with its own keep-alive connection, sending GET requests
drawn at random from a mix of the API's endpoints (states, dyads, blocs by year, triangles, poles,
the scoreboard, coverage) for ``--seconds`` or until ``--max-requests``. Prints p50/p95/p99 latency,
throughput, errors (any status >= 500 or a failed connection), and the ratio of p95 to the bar
(50 ms). Also prints each endpoint's first (uncached) latency, measured before the load.

    python benchmarks/serve.py [--db FILE] [--clients 20] [--seconds 30]
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BAR_MS = 50.0


def mix(rng: random.Random, states: list[str], bloc_years: list[int]) -> str:
    k = rng.random()
    a, b, c = rng.sample(states, 3)
    if k < 0.25:
        return f"/api/state/{a}"
    if k < 0.50:
        y0 = rng.randint(1991, 2015)
        return f"/api/dyad/{a}/{b}?years={y0}:{y0 + 9}"
    if k < 0.70:
        return f"/api/blocs/{rng.choice(bloc_years)}"
    if k < 0.85:
        return f"/api/triangle?states={a},{b},{c}"
    return rng.choice(["/api/poles?years=1946:2024", "/api/scoreboard", "/api/coverage", "/api/meta", "/api/states"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--max-requests", type=int, default=500_000)
    ap.add_argument("--states", type=int, default=40, help="how many states the clients ask about (the mix's variety)")
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("multipolar")
    cmd = [str(exe), "serve", "--port", str(port)] + (["--db", args.db] if args.db else ["--db", "/nonexistent/none.duckdb"])
    t0 = time.perf_counter()
    srv = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            try:
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                con.request("GET", "/api/meta")
                meta = json.loads(con.getresponse().read())
                break
            except OSError:
                if srv.poll() is not None:
                    raise SystemExit("the server stopped: " + srv.stderr.read().decode())
                time.sleep(0.2)
        print(f"server up in {time.perf_counter() - t0:.1f} s ({meta['basis']})")
        con.request("GET", "/api/states")
        all_states = [s["code"] for s in json.loads(con.getresponse().read())]
        rng = random.Random(0)
        majors = ["USA", "RUS", "CHN", "IND", "BRA", "DEU", "FRA", "GBR", "JPN", "TUR", "IRN", "SAU", "ZAF", "KAZ", "UKR"]
        states = majors + rng.sample([s for s in all_states if s not in majors], max(0, args.states - len(majors)))
        bloc_years = meta["bloc_years"]
        # first (uncached) answers, one per kind of endpoint
        cold = {}
        for url in ["/api/state/IND", "/api/dyad/IND/PAK?years=1991:2024", "/api/blocs/1990", "/api/triangle?states=IND,PAK,CHN",
                    "/api/poles?years=1950:2020", "/api/scoreboard", "/api/coverage"]:
            t = time.perf_counter()
            con.request("GET", url)
            r = con.getresponse()
            r.read()
            cold[url] = ((time.perf_counter() - t) * 1000, r.status)
        con.close()
        lat, errors, count = [], [0], [0]
        stop = time.perf_counter() + args.seconds
        lock = threading.Lock()

        def client(i):
            r_ = random.Random(i)
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = []
            while time.perf_counter() < stop:
                with lock:
                    if count[0] >= args.max_requests:
                        break
                    count[0] += 1
                url = mix(r_, states, bloc_years)
                t = time.perf_counter()
                try:
                    c.request("GET", url)
                    resp = c.getresponse()
                    resp.read()
                    if resp.status >= 500:
                        errors[0] += 1
                except OSError:
                    errors[0] += 1
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append((time.perf_counter() - t) * 1000)
            with lock:
                lat.extend(mine)
        ths = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        t1 = time.perf_counter()
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        wall = time.perf_counter() - t1
    finally:
        srv.terminate()
        srv.wait(10)
    lat.sort()
    q = statistics.quantiles(lat, n=100)
    print("first answers (uncached):")
    for url, (ms, st) in cold.items():
        print(f"  {url:45s} {ms:8.1f} ms  ({st})")
    print(f"load: {args.clients} clients, {wall:.1f} s, {len(lat):,} requests ({len(lat) / wall:,.0f}/s), errors {errors[0]}, "
          f"{len(states)} states in the mix")
    print(f"latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {lat[-1]:.1f}")
    print(f"p95 / bar ({BAR_MS:.0f} ms): {q[94] / BAR_MS:.2f}")


if __name__ == "__main__":
    main()
