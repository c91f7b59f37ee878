#!/usr/bin/env bash
# Build the wheel, install it (not editable) in a fresh virtual environment outside the work
# tree, and run the main job and a dashboard smoke test from it. Called by .ci/run.
#
#   bash tests/wheel_smoke.sh            # uses python3; set PYTHON to choose another
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# build from a copy of the tracked files, so the work tree gets no build/ folder
mkdir "$tmp/src"
git -C "$repo" ls-files -z | (cd "$repo" && tar --null -T - -cf -) | tar -x -C "$tmp/src"
"$py" -m pip wheel --no-deps -q -w "$tmp/dist" "$tmp/src" 2>/dev/null
"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q "$tmp"/dist/tillit-*.whl 2>&1 | grep -v "^WARNING: Location" || true
cd "$tmp"  # nothing may be imported from the work tree
bin="$tmp/venv/bin"
"$bin/tillit" --help >/dev/null
"$bin/tillit" import-aggregate "$repo/examples/jamforelsekommuner_syntetiska.csv" --synthetic --db "$tmp/d.sqlite" >/dev/null
"$bin/tillit" analyse "$repo/examples/lindbacka_2025_enkat.xlsx" -m Lindbacka -y 2025 --synthetic \
  --db "$tmp/d.sqlite" --out "$tmp/ut" >/dev/null
for f in analys.json workshop.pptx rapport.docx; do test -s "$tmp/ut/$f" || { echo "wheel: $f missing" >&2; exit 1; }; done
"$bin/python" - "$tmp/d.sqlite" <<'PY'
import pathlib, sys
from tillit import dashboard, survey
from tillit.dashboard.app import create_app

site = pathlib.Path(survey.__file__).resolve().parents[2]
assert site.name == "site-packages", f"imported from the work tree: {site}"
# one import name only: nothing installed under the names of other PyPI packages
for name in ("survey", "nlp", "benchmarks", "reports", "dashboard"):
    assert not (site / name).exists(), f"the wheel installed a top-level {name}/ (collides with PyPI's {name})"
assets = pathlib.Path(dashboard.__file__).parent / "assets"
for name in ("keys.js", "style.css"):
    assert (assets / name).is_file(), f"package data missing from the wheel: dashboard/assets/{name}"
app = create_app(sys.argv[1], lang="sv")
client = app.server.test_client()
page = client.get("/", headers={"Host": "127.0.0.1:8050"})
assert page.status_code in (200, 302, 401), page.status_code
print("wheel: tillit installed from the wheel runs the main job; dashboard answers", page.status_code)
PY
