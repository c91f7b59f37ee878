"""Callback latency of the dashboard against a national-size store (290 municipalities × 5 waves).

Posts to Dash's own endpoint (/_dash-update-component) through the Flask test client, as the
browser does, and reports p50/p95 per callback: "cold" is the first request for a municipality
and benchmark (the analysis object is built: counts of every benchmark wave, comparison,
comment analysis), "warm" every later one (the analysis comes from the cache; this is what
a room clicking around the dashboard sees). Target: warm p95 < 150 ms.

    python perf/dashboard_latency.py [--requests 60] [--db perf/_data/dashboard_290x5.db]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "perf" / "_data"
HOME, YEAR = "Exempelby", 2025


def build(path: Path) -> Path:
    if path.exists():
        return path
    from tests.dashboard_sample import build_store

    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    build_store(path, municipalities=290, waves=5, first_year=2021, seed=7).close()
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def inputs(municipality=HOME, benchmark="", groups=("politiker", "tjansteperson"), lang="sv", workshop=()):
    return [{"id": i, "property": "value", "value": v} for i, v in (
        ("picker-municipality", municipality), ("picker-wave", YEAR), ("picker-benchmark", benchmark),
        ("picker-groups", list(groups)), ("picker-lang", lang), ("picker-workshop", list(workshop)))]


def body(outputs: list[tuple[str, str]], ins: list[dict], state: list[dict] = ()) -> dict:
    out = ("..." .join(f"{i}.{p}" for i, p in outputs)).join(("..", "..")) if len(outputs) > 1 \
        else f"{outputs[0][0]}.{outputs[0][1]}"
    return {"output": out, "outputs": [{"id": i, "property": p} for i, p in outputs] if len(outputs) > 1
            else {"id": outputs[0][0], "property": outputs[0][1]},
            "inputs": ins, "state": list(state), "changedPropIds": [f"{ins[0]['id']}.{ins[0]['property']}"]}


QUESTIONS = ["roll_ansvar", "tillit", "kultur", "vision", "malstyrning", "uppfoljning_ekonomi"]


def callbacks(variant: dict) -> dict[str, dict]:
    """The main callbacks, with the pickers of one variant (municipality, benchmark, groups, lang)."""
    ins = inputs(**{k: v for k, v in variant.items() if not k.startswith("_")})
    q = {"id": "question-picker", "property": "value", "value": variant.get("_q", "tillit")}
    tq = {"id": "comparison-trend-question", "property": "value", "value": variant.get("_q", "tillit")}
    return {
        "Översikt": body([("overview-content", "children")], ins),
        "Frågor": body([("question-content", "children")], ins + [q]),
        "Jämförelse": body([("comparison-content", "children")], ins + [tq]),
        "Kommentarer": body([("comments-content", "children")], ins + [{"id": "comments-search", "property": "value",
                                                                          "value": "roll"}]),
        "Jämförelsekommuner (picker)": body([("picker-benchmark", "options"), ("picker-benchmark", "value")],
                                            ins[:1] + [ins[4]], [{"id": "picker-benchmark", "property": "value",
                                                                  "value": ""}]),
        "Dialog (live clusters)": body(
            [("dialogue-notes", "children"), ("dialogue-clusters", "children"), ("dialogue-prompt-text", "children")],
            [{"id": "dialogue-saved", "property": "data", "value": 0},
             {"id": "dialogue-prompt", "property": "value", "value": "forbattra_samspel"},
             {"id": "picker-municipality", "property": "value", "value": HOME},
             {"id": "picker-wave", "property": "value", "value": YEAR},
             {"id": "picker-lang", "property": "value", "value": variant["lang"]}],
            [{"id": "dialogue-prompt", "property": "options", "value": []}]),
    }


def write_bodies(path: Path) -> None:
    """The callbacks a room triggers, over the benchmark, group and question choices (for wrk)."""
    lines = [json.dumps(payload, ensure_ascii=False)
             for b in ("", "Solberga|2025") for g in (("politiker", "tjansteperson"), ("alla",))
             for q in QUESTIONS[:3] for payload in callbacks({"benchmark": b, "groups": g, "lang": "sv", "_q": q}).values()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(lines)} request bodies in {path}", file=sys.stderr)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=60, help="warm requests per callback")
    ap.add_argument("--db", type=Path, default=DATA / "dashboard_290x5.db")
    ap.add_argument("--bodies", type=Path, help="only write the request bodies (one JSON a line) for wrk, and stop")
    args = ap.parse_args()
    db = build(args.db)
    if args.bodies:
        write_bodies(args.bodies)
        return

    from tillit.benchmarks.store import Store
    from tillit.dashboard.app import create_app

    store = Store(str(db))
    if not store.notes(HOME, YEAR):
        for n in ["Tydligare delegationsordning", "Gemensam introduktion för nya politiker",
                  "Ses oftare informellt", "Tydligare delegationsordning i nämnderna", "Varför syns inte målen?"]:
            store.add_note(HOME, YEAR, "forbattra_samspel", n, redact=str)
    client = create_app(store).server.test_client()

    def post(payload: dict) -> float:
        t0 = time.perf_counter()
        r = client.post("/_dash-update-component", json=payload)
        dt = (time.perf_counter() - t0) * 1000
        assert r.status_code in (200, 204), (r.status_code, r.get_data(as_text=True)[:300])
        return dt

    benchmarks = ["", "Solberga|2025", "Granås|2024", "Kommun 100|2025"]
    cold: dict[str, list[float]] = {}
    for bench in benchmarks:  # the first request for a benchmark builds the analysis (the overview asks first)
        for name, payload in callbacks({"benchmark": bench, "lang": "sv"}).items():
            cold.setdefault(name, []).append(post(payload))
    variants = [{"benchmark": b, "groups": g, "lang": "sv", "_q": q, "workshop": w}
                for b in benchmarks for g in (("politiker", "tjansteperson"), ("politiker",), ("alla",))
                for q in QUESTIONS[:2] for w in ((), ("on",))]
    first: dict[str, list[float]] = {}
    for v in variants:  # analysis cached, but this view (groups, question, mode) not drawn before
        for name, payload in callbacks(v).items():
            first.setdefault(name, []).append(post(payload))
    repeat: dict[str, list[float]] = {}
    for v in itertools.islice(itertools.cycle(variants), args.requests):  # the room going back and forth
        for name, payload in callbacks(v).items():
            repeat.setdefault(name, []).append(post(payload))
    waves = len(store.waves())
    print(f"store: {waves} waves ({db.name}); {len(variants)} views first drawn, then {args.requests} repeats")
    print(f"{'callback':30} {'repeat p50':>10} {'p95':>6} {'first p50':>10} {'p95':>6} {'all p95':>8}"
          f" {'cold (build analysis)':>22}")
    for name in repeat:
        r, f = repeat[name], first[name]
        c = ", ".join(f"{x:.0f}" for x in cold[name])
        print(f"{name:30} {statistics.median(r):10.1f} {pct(r, 95):6.1f} {statistics.median(f):10.1f} "
              f"{pct(f, 95):6.1f} {pct(r + f, 95):8.1f}   {c}  (ms)")


if __name__ == "__main__":
    main()
