from datetime import UTC, date, datetime, time

import pytest

# A Thursday morning before the spring DST change in Europe/Amsterdam (Sunday 2025-03-30).
NOW = datetime(2025, 3, 27, 8, 0, tzinfo=UTC)


def at(building, day: date, clock: str) -> datetime:
    """Return the aware datetime of a local wall-clock time in the building."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=building.tz)


@pytest.fixture
def now():
    return NOW
