from datetime import UTC, datetime

import pytest

# A Thursday morning before the spring DST change in Europe/Amsterdam (Sunday 2025-03-30).
NOW = datetime(2025, 3, 27, 8, 0, tzinfo=UTC)


@pytest.fixture
def now():
    return NOW
