"""The code itself: ruff's checks (configured in pyproject.toml) pass on the whole tree."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_passes():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extra: pip install -e '.[test]')")
    r = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_layers_only_point_one_way():
    """The import contract in pyproject.toml ([tool.importlinter]): survey at the bottom, then
    benchmarks and nlp (independent of each other), the analysis object, the renderers, the
    pipeline, the dashboard and the commands on top; no exceptions are listed."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (it comes with the test extra)")
    r = subprocess.run([lint, "--no-cache"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text("utf-8")


def test_every_environment_variable_is_a_declared_setting():
    """`tillit settings` lists every variable the code reads: the names live only in tillit/settings.py."""
    import re

    from tillit.settings import SETTINGS

    declared = {s.env for s in SETTINGS.values()}
    found: dict[str, list[str]] = {}
    for folder in ("survey", "nlp", "benchmarks", "reports", "dashboard", "tillit"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "settings.py" and path.parent.name == "tillit":
                continue
            text = path.read_text("utf-8")
            reads = r"""(?:environ(?:\.get)?[(\[]\s*|getenv\(\s*|_ENV\s*=\s*)["'](TILLIT_[A-Z_]+)"""
            for name in re.findall(reads, text):
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert not found, f"spelled out outside tillit/settings.py: {found}"
    assert len(declared) == len(SETTINGS) >= 11


def test_product_packages_hold_no_test_samples():
    """Samples and fixtures live in tests/ (or examples/): no product module imports them."""
    import re

    for folder in ("survey", "nlp", "benchmarks", "reports", "dashboard", "tillit"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not re.search(r"^\s*(from|import) tests\b", path.read_text("utf-8"), re.M), path
            assert "sample" not in path.stem, path
