#!/usr/bin/env bash
# The live workshop under load, loopback only: 20 participants posting notes (one every 2 s each,
# the round's cap of 400 notes not reached), 10 participants placing dots (one every 0.5 s each;
# VOTE_DELAY_MS=0: as fast as they can), and the projector refreshing every 2 s, all at once against
# gunicorn (2 workers × 4 threads) on the 290 × 5 store. Needs gunicorn in .venv and Debian wrk.
#   perf/dashboard_workshop_load.sh            [DURATION=40s VOTE_DELAY_MS=500 SHOW_ERRORS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8066}
DURATION=${DURATION:-40s}
export SHOW_ERRORS=${SHOW_ERRORS:-}
SRC=perf/_data/dashboard_290x5.db
DB=perf/_data/workshop_load.db

$PY perf/dashboard_latency.py --db "$SRC" --bodies perf/_data/dashboard_bodies.jsonl >/dev/null  # builds the store once
cp "$SRC" "$DB"
eval "$($PY perf/dashboard_workshop_prep.py "$DB")"
export CODE_POST CODE_VOTE PILES BODY_PROJECTOR
TILLIT_DB="$DB" .venv/bin/gunicorn -w 2 -k gthread --threads 4 --keep-alive 30 -b "127.0.0.1:$PORT" --timeout 120 \
  --log-level warning 'tillit.dashboard.app:make_server()' &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs -m 5 -o /dev/null "http://127.0.0.1:$PORT/delta" && break; sleep 0.5; done
# warm-up, not counted: each worker loads spaCy once (the projector clusters the notes)
MODE=projector wrk -t1 -c2 -d10s --timeout 30s -s perf/dashboard_workshop.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)"
MODE=post DELAY_MS=2000 MAX_POSTS=190 wrk -t2 -c20 -d"$DURATION" --timeout 10s -s perf/dashboard_workshop.lua \
  "http://127.0.0.1:$PORT" > perf/_data/wrk_post.txt &
P1=$!
MODE=vote DELAY_MS=${VOTE_DELAY_MS:-500} wrk -t1 -c10 -d"$DURATION" --timeout 10s -s perf/dashboard_workshop.lua \
  "http://127.0.0.1:$PORT" > perf/_data/wrk_vote.txt &
P2=$!
MODE=projector DELAY_MS=2000 wrk -t1 -c1 -d"$DURATION" --timeout 10s -s perf/dashboard_workshop.lua \
  "http://127.0.0.1:$PORT" > perf/_data/wrk_projector.txt &
P3=$!
wait $P1 $P2 $P3
cat perf/_data/wrk_post.txt perf/_data/wrk_vote.txt perf/_data/wrk_projector.txt | grep -E "^(post|vote|projector):"
echo "== after: load average: $(cut -d' ' -f1-3 /proc/loadavg)"
$PY - "$DB" <<'PY'
import sys
from tillit.benchmarks.store import Store
s = Store(sys.argv[1])
post = [r for r in s.rounds("Exempelby", 2025, active=True) if r.state == "open"][0]
print(f"stored notes in the posting round: {len(s.notes(round_id=post.id))}")
PY
