import os

import pytest

from tests.factory import EXPORTS

SYSTEM_MARKERS = ("browser", "render", "postgres")


@pytest.fixture
def shared_exports():
    if not EXPORTS.exists():
        pytest.skip("shared test data (../shared/data/exports) is not present")
    return EXPORTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (TILLIT_REQUIRE_SYSTEM_TOOLS=1) a browser, render or PostgreSQL test may not skip.

    On a developer's machine without Chromium, LibreOffice or PostgreSQL those tests skip
    with a reason; CI installs the tools, so a skip there means something is broken.
    """
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("TILLIT_REQUIRE_SYSTEM_TOOLS")
            and any(item.get_closest_marker(m) for m in SYSTEM_MARKERS)):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where system tools are required: {report.longrepr}"


_OWN_CACHE: list[str] = []


def pytest_configure(config):
    """Tests use a cache folder of their own (nlp.cache), not the user's, unless one is set."""
    if not os.environ.get("TILLIT_CACHE_DIR"):
        import tempfile

        _OWN_CACHE.append(tempfile.mkdtemp(prefix="tillit-test-cache-"))
        os.environ["TILLIT_CACHE_DIR"] = _OWN_CACHE[0]


def pytest_unconfigure(config):
    import shutil
    import sys

    if "tillit.nlp.cache" in sys.modules:  # write what is pending now, not at exit into a removed folder
        sys.modules["tillit.nlp.cache"].reset()
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)
