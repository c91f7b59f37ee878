#!/usr/bin/env bash
# 60-second load of 20 concurrent clients against the dashboard on gunicorn (2 workers), loopback only.
#   perf/dashboard_load.sh            (needs: gunicorn in .venv, Debian wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8065}
DB=perf/_data/dashboard_290x5.db
BODIES=perf/_data/dashboard_bodies.jsonl
DURATION=${DURATION:-60s}

$PY perf/dashboard_latency.py --db "$DB" --bodies "$BODIES"   # builds the 290 × 5 store the first time
TILLIT_DB="$DB" .venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" --timeout 120 --log-level warning \
  'tillit.dashboard.app:make_server()' &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done

echo "== warm-up (20 s, not counted: each worker builds its analysis objects once)"
BODIES="$BODIES" wrk -t2 -c4 -d20s --timeout 30s -s perf/dashboard_wrk.lua "http://127.0.0.1:$PORT" | tail -2
echo "== measured: 20 clients, $DURATION"
BODIES="$BODIES" wrk -t2 -c20 -d"$DURATION" --timeout 10s --latency -s perf/dashboard_wrk.lua "http://127.0.0.1:$PORT"
