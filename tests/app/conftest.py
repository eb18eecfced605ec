"""What the AppTest files share: `app`, the test module's PAGE run once, without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT_S = 60  # seconds per script run, unless the test module sets its own TIMEOUT_S


@pytest.fixture
def app(request):
    """AppTest of the test module's PAGE (a path relative to tests/app), after its first run."""
    timeout = getattr(request.module, "TIMEOUT_S", TIMEOUT_S)
    at = AppTest.from_file(request.module.PAGE, default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at
