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


FOLDERS = ("survey", "nlp", "benchmarks", "reports", "dashboard")  # installed as tillit.<folder>


def installed_layout(dest: Path) -> Path:
    """The tree as the wheel installs it: tillit/ with the five folders inside (tillit.survey, ...)."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "tillit", dest / "tillit", ignore=skip)
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, dest / "tillit" / folder, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_layers_only_point_one_way(tmp_path):
    """The import contract in pyproject.toml ([tool.importlinter]): survey at the bottom, then
    benchmarks and nlp (independent of each other), the analysis object, the renderers, the
    pipeline, the dashboard and the commands on top; no exceptions are listed. import-linter
    reads packages from disk, so it runs on the installed layout (see `installed_layout`)."""
    import os

    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (it comes with the test extra)")
    tree = installed_layout(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    r = subprocess.run([lint, "--no-cache"], capture_output=True, text=True, timeout=300, cwd=tree, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Contracts: 1 kept, 0 broken" in r.stdout, r.stdout[-2000:]  # the contract ran on tillit.*, not skipped
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text("utf-8")


def test_no_top_level_import_name_but_tillit():
    """Product code and tests import the five folders as tillit.<folder>: a bare `import survey`
    would pick up the PyPI package of that name (or nothing) once installed."""
    import re

    bare = re.compile(rf"^\s*(from|import)\s+({'|'.join(FOLDERS)})\b", re.M)
    for folder in (*FOLDERS, "tillit", "tests", "perf", "examples"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not bare.search(path.read_text("utf-8")), path


def test_every_package_folder_is_installed():
    """pyproject.toml lists the installed packages by hand (package-dir mapping); a folder
    with code or data that is missing from the list would be missing from the wheel."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    mapping = cfg["package-dir"]
    listed = set(cfg["packages"])
    on_disk = set()
    for name, folder in mapping.items():  # the folders are siblings: no mapping lies inside another
        base = ROOT / folder
        for d in [base, *(p for p in base.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
            on_disk.add(".".join((name, *d.relative_to(base).parts)))
    assert on_disk == listed, f"on disk, not listed: {sorted(on_disk - listed)}; listed, not on disk: {sorted(listed - on_disk)}"


def test_every_environment_variable_is_a_declared_setting():
    """`tillit settings` lists every variable the code reads: the names live only in tillit/settings.py."""
    import re

    from tillit.settings import SETTINGS

    declared = {s.env for s in SETTINGS.values()}
    found: dict[str, list[str]] = {}
    for folder in (*FOLDERS, "tillit"):
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

    for folder in (*FOLDERS, "tillit"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not re.search(r"^\s*(from|import) tests\b", path.read_text("utf-8"), re.M), path
            assert "sample" not in path.stem, path


def _threshold_comparisons(tree) -> list[int]:
    """Line numbers of comparisons with a name or attribute called threshold (any case, any prefix)."""
    import ast

    def named_threshold(node) -> bool:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name.lower().endswith("threshold")

    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Compare)
            and any(named_threshold(part) for side in (node.left, *node.comparators) for part in ast.walk(side))]


def test_only_the_privacy_module_compares_with_the_threshold():
    """The anonymity rule is decided once, in tillit.survey.privacy: no other module compares
    anything with a threshold (the analysis records the outcome; renderers read flags)."""
    import ast

    found = {}
    for folder in (*FOLDERS, "tillit"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.relative_to(ROOT).as_posix() == "survey/privacy.py":
                continue
            lines = _threshold_comparisons(ast.parse(path.read_text("utf-8")))
            if lines:
                found[path.relative_to(ROOT).as_posix()] = lines
    assert not found, f"compares with the threshold outside survey/privacy.py: {found}"
    assert _threshold_comparisons(ast.parse((ROOT / "survey" / "privacy.py").read_text("utf-8")))


def test_the_threshold_scan_finds_a_comparison():
    import ast

    assert _threshold_comparisons(ast.parse("x = n < a.threshold\ny = (resp > 0) & (k >= THRESHOLD)")) == [1, 2]
    assert _threshold_comparisons(ast.parse("f(threshold=n)\nif n < limit: pass")) == []


# What mypy checks: the analysis object and every renderer of it (deck, report, charts and figures,
# the dashboard's modules and pages, the commands' tables).
TYPED = ("tillit/analysis", "tillit/reports", "tillit/dashboard", "tillit/commands")


def test_the_analysis_and_its_renderers_type_check(tmp_path):
    """mypy checks tillit.analysis (the builders against the types of analys.json) and the
    renderers (tillit.reports, tillit.dashboard with its pages, tillit.commands), which read
    the analysis through those types."""
    pytest.importorskip("mypy", reason="mypy is not installed (it comes with the test extra: pip install -e '.[test]')")
    root = installed_layout(tmp_path)
    r = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent",
                        "--ignore-missing-imports", "--cache-dir", str(tmp_path / ".mypy"), *TYPED],
                       cwd=root, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    # every module of those folders was checked (a folder mypy skipped would pass silently)
    modules = [p for folder in TYPED for p in (root / folder).rglob("*.py")]
    assert f"no issues found in {len(modules)} source files" in r.stdout, r.stdout


def test_the_type_check_finds_an_unchecked_optional_part(tmp_path):
    """The check above can fail: a renderer reading an optional part of the analysis (the
    benchmark) without a check is an error, and the same read after the check is not."""
    pytest.importorskip("mypy", reason="mypy is not installed (it comes with the test extra: pip install -e '.[test]')")
    root = installed_layout(tmp_path)
    planted = root / "tillit" / "reports" / "planted.py"
    head = "from tillit.analysis import WorkshopAnalysis\n\n\ndef name(analysis: WorkshopAnalysis) -> str:\n"
    reads = {"unchecked": "    return analysis.benchmark['municipality']\n",
             "checked": "    b = analysis.benchmark\n    return b['municipality'] if b else ''\n"}
    found = {}
    for kind, body in reads.items():
        planted.write_text(head + body, "utf-8")
        r = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent",
                            "--ignore-missing-imports", "--cache-dir", str(tmp_path / ".mypy"), "tillit/reports/planted.py"],
                           cwd=root, capture_output=True, text=True, timeout=300)
        found[kind] = (r.returncode, r.stdout)
    assert found["unchecked"][0] == 1 and "planted.py:5: error" in found["unchecked"][1], found
    assert found["checked"][0] == 0, found
