"""Fast switching: the first request for a new municipality × benchmark pair (the analysis object is
built for it), on the national-size store (290 municipalities × 5 waves). Target: p95 < 300 ms.

Posts the Översikt callback through the Flask test client, as the browser does, for `--pairs`
random pairs never asked for before (a fresh analysis each), after one warm-up request (spaCy
loaded, the store's counts read once: what `tillit dashboard` does at start).

    python perf/dashboard_switching.py [--pairs 60] [--db perf/_data/dashboard_290x5.db] [--seed 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "perf"))

from dashboard_latency import DATA, body, build, inputs, pct  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--db", type=Path, default=DATA / "dashboard_290x5.db")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    build(args.db)

    from tillit.benchmarks.store import Store
    from tillit.dashboard.app import create_app

    store = Store(str(args.db))
    waves = store.waves()
    names = sorted({w.municipality for w in waves})
    client = create_app(store).server.test_client()

    def overview(municipality: str, benchmark: str) -> float:
        payload = body([("overview-content", "children")], inputs(municipality=municipality, benchmark=benchmark))
        payload["inputs"][1]["value"] = max(w.year for w in waves if w.municipality == municipality)
        t0 = time.perf_counter()
        r = client.post("/_dash-update-component", json=payload)
        dt = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200 and "overview-dimensions" in r.get_data(as_text=True), r.status_code
        return dt

    warm = overview("Exempelby", "")
    rng = random.Random(args.seed)
    seen, times = set(), []
    while len(times) < args.pairs:
        m = rng.choice(names)
        others = [w for w in waves if w.municipality != m]
        b = rng.choice(others + [None] * 5)  # now and then "the best" (the comparison's own choice)
        key = (m, f"{b.municipality}|{b.year}" if b else "")
        if key in seen:
            continue
        seen.add(key)
        times.append(overview(*key))
    load = os.getloadavg()
    print(f"store: {len(waves)} waves, {len(names)} municipalities; warm-up request {warm:.0f} ms")
    print(f"new pairs: {len(times)}; p50 {statistics.median(times):.0f} ms, p95 {pct(times, 95):.0f} ms, "
          f"max {max(times):.0f} ms; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
