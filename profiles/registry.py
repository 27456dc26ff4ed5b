"""Hooks that higher apps fill in their AppConfig.ready().

profiles sits below locations, bookings and privacy (DESIGN.md) and never imports them; where
it needs what they know, they register it here.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured

_hooks: dict[str, Callable] = {}


def register(name: str, function: Callable) -> None:
    _hooks[name] = function


def _hook(name: str) -> Callable:
    try:
        return _hooks[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the {name!r} hook.") from None


def erase_person(*, user) -> object:
    """Erase a person through the privacy app (it decides what is kept: only counts)."""
    return _hook("erase_person")(user=user)


def holding_bookings(*, organization, person_ids: list[int], start: datetime, end: datetime):
    """Return the people's bookings that hold a resource in [start, end), soonest first."""
    return _hook("holding_bookings")(
        organization=organization, person_ids=person_ids, start=start, end=end
    )


def open_check_ins(*, organization, person_ids: Iterable[int]):
    """Return the people's check-ins that are open now and shared with colleagues."""
    return _hook("open_check_ins")(organization=organization, person_ids=person_ids)
