"""Live occupancy for the floor plan, filled in by the sensors app.

Bookings sits below sensors (DESIGN.md), so it can't ask sensors directly: sensors registers
a provider here in its AppConfig.ready(). A provider answers "which of these resources are
occupied right now", never by whom.
"""

from collections.abc import Callable, Iterable

OccupancyProvider = Callable[[list[int]], set[int]]

_providers: list[OccupancyProvider] = []


def register_occupancy_provider(provider: OccupancyProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def occupied_resource_ids(resource_ids: Iterable[int]) -> set[int]:
    ids = list(resource_ids)
    occupied: set[int] = set()
    for provider in _providers:
        occupied |= provider(ids)
    return occupied


def has_occupancy_providers() -> bool:
    return bool(_providers)
