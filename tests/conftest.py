import pytest

from tests.factory import EXPORTS


@pytest.fixture
def shared_exports():
    if not EXPORTS.exists():
        pytest.skip("shared test data (../shared/data/exports) is not present")
    return EXPORTS
