"""Time in tests: a wall-clock moment in a building, and a stopped clock."""

from datetime import date, datetime, time


def at(building, day: date, clock: str) -> datetime:
    """Return the aware datetime of the local wall-clock time `clock` ("HH:MM") on `day` in
    the building's time zone."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=building.tz)


def stop_clock(monkeypatch, moment: datetime) -> datetime:
    """Make `timezone.now()` answer `moment` for the views, the services and the session
    alike, until the test ends."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment
