"""The demo's floors: their plans, from which desks, parking bays and meeting rooms are made."""

from dataclasses import dataclass

from demo.plan_images import Area, Box, FloorPlan, Room, benches_in, parking_row


@dataclass(frozen=True)
class FloorSpec:
    """A floor and its plan. Desks, parking bays and rooms with a table become resources."""

    name: str
    level: int
    plan: FloorPlan


# Floor plans: 1200 x 800 pixels, outer walls 30 px in. Meeting rooms line the left wall,
# lifts and stairs sit in the middle, neighbourhoods fill the window sides.


def core(*, left: int) -> tuple[Room, ...]:
    """Return the lifts, stairs and toilets in the middle of a floor."""
    return (
        Room("Lifts", Box(left, 340, left + 100, 460), door=None, service=True),
        Room("Stairs", Box(left + 100, 340, left + 200, 460), door=None, service=True),
        Room("WC", Box(left + 200, 340, left + 280, 460), door="bottom"),
    )


def amsterdam_ground_floor() -> FloorSpec:
    harbour = Box(280, 50, 830, 310)
    return FloorSpec(
        name="Ground floor",
        level=0,
        plan=FloorPlan(
            title="Amsterdam HQ · Ground floor",
            rooms=(
                Room("Rembrandt", Box(30, 30, 250, 240), seats=8),
                Room("Vermeer", Box(30, 240, 250, 400), seats=4),
                Room("Pantry", Box(30, 400, 250, 560)),
                Room("Lockers", Box(30, 620, 250, 770)),
                *core(left=440),
                Room("Reception", Box(400, 610, 760, 770), door="top"),
                Room("Parking garage", Box(860, 30, 1170, 770), door="left"),
            ),
            areas=(Area("Harbour", harbour),),
            desks=benches_in(harbour, across=2, rows=1, desks_per_side=4),
            parking_bays=(
                parking_row(x=912, top=110, count=8, opening="right", ev_every=3)
                + parking_row(x=1118, top=110, count=8, opening="left")
            ),
            entrances=(580, 1015),
        ),
    )


def amsterdam_first_floor() -> FloorSpec:
    product = Box(280, 50, 1150, 310)
    sales = Box(280, 500, 720, 750)
    quiet = Box(760, 500, 1150, 750)
    return FloorSpec(
        name="First floor",
        level=1,
        plan=FloorPlan(
            title="Amsterdam HQ · First floor",
            rooms=(
                Room("Keizersgracht", Box(30, 30, 250, 260), seats=10),
                Room("Singel", Box(30, 260, 250, 420), seats=6),
                Room("Pantry", Box(30, 420, 250, 580)),
                Room("Print room", Box(30, 630, 250, 770)),
                *core(left=480),
            ),
            areas=(Area("Product", product), Area("Sales", sales), Area("Quiet zone", quiet)),
            desks=(
                benches_in(product, across=3, rows=2, desks_per_side=3)
                + benches_in(sales, across=2, rows=1, desks_per_side=3)
                + benches_in(quiet, across=1, rows=1, desks_per_side=4)
            ),
        ),
    )


def new_york_floor() -> FloorSpec:
    hudson = Box(280, 50, 1150, 310)
    midtown = Box(280, 500, 1150, 750)
    return FloorSpec(
        name="12th floor",
        level=12,
        plan=FloorPlan(
            title="New York · 12th floor",
            rooms=(
                Room("Liberty", Box(30, 30, 250, 290), seats=12),
                Room("Chelsea", Box(30, 290, 250, 440), seats=4),
                Room("Kitchen", Box(30, 440, 250, 600)),
                Room("Mail room", Box(30, 640, 250, 770)),
                *core(left=480),
            ),
            areas=(Area("Hudson", hudson), Area("Midtown", midtown)),
            desks=(
                benches_in(hudson, across=3, rows=1, desks_per_side=4)
                + benches_in(midtown, across=3, rows=1, desks_per_side=4)
            ),
        ),
    )


def globex_floor() -> FloorSpec:
    open_office = Box(280, 50, 850, 300)
    return FloorSpec(
        name="Ground floor",
        level=0,
        plan=FloorPlan(
            title="Globex House · Ground floor",
            width=900,
            height=600,
            rooms=(
                Room("Boardroom", Box(30, 30, 250, 250), seats=8),
                Room("Kitchen", Box(30, 250, 250, 410)),
                Room("Reception", Box(300, 430, 560, 570), door="top"),
                Room("Stairs", Box(640, 340, 740, 460), door=None, service=True),
                Room("WC", Box(740, 340, 820, 460), door="bottom"),
            ),
            areas=(Area("Open office", open_office),),
            desks=benches_in(open_office, across=1, rows=1, desks_per_side=5),
            entrances=(430,),
        ),
    )
