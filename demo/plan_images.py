"""Draw floor-plan images: outer walls with windows, rooms, neighbourhoods, desks, parking bays.

The image's pixels are the plan's coordinates (as everywhere in `locations`), so a resource
placed at a desk's (x, y) sits on the desk drawn there.
"""

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from itertools import pairwise
from typing import Literal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# Pillow draws without anti-aliasing: draw at twice the size and scale down for clean lines.
SCALE = 2

DESK_WIDTH = 56
DESK_DEPTH = 32
CHAIR_SIZE = 18
BAY_WIDTH = 92
BAY_DEPTH = 56
DOOR_WIDTH = 36
OUTER_WALL = 10
INNER_WALL = 4

PAPER = "#ffffff"
FLOOR = "#f6f5f2"
WALL = "#2b2b2b"
WINDOW = "#9cc7e4"
ROOM_FLOOR = "#ffffff"
SERVICE_FLOOR = "#e6e4df"
HATCH = "#cfccc5"
FURNITURE = "#ffffff"
FURNITURE_LINE = "#6b6b6b"
CHAIR = "#d9d6cf"
LABEL = "#4a4a4a"
BAY_LINE = "#9a9a9a"
EV = "#2e8b57"
AREA_TINTS = ("#e3eef8", "#e6f3e6", "#f6ecdc", "#efe6f5", "#f8e4e4")

Side = Literal["top", "bottom", "left", "right"]


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def center(self) -> tuple[int, int]:
        return (self.left + self.right) // 2, (self.top + self.bottom) // 2

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass(frozen=True)
class Room:
    """A walled room with a door; `seats` draws a meeting table, `service` hatches the floor."""

    name: str
    box: Box
    door: Side | None = "right"
    seats: int = 0
    service: bool = False


@dataclass(frozen=True)
class Area:
    """An open-plan neighbourhood: a tinted stretch of floor with its name."""

    name: str
    box: Box


@dataclass(frozen=True)
class Desk:
    """A desk centred on (x, y), its chair on the `chair` side."""

    x: int
    y: int
    chair: Literal["top", "bottom"]


@dataclass(frozen=True)
class ParkingBay:
    """A parking bay centred on (x, y); the car drives in from the `opening` side."""

    x: int
    y: int
    opening: Literal["left", "right"]
    ev: bool = False


@dataclass(frozen=True)
class FloorPlan:
    title: str
    width: int = 1200
    height: int = 800
    margin: int = 30
    rooms: tuple[Room, ...] = ()
    areas: tuple[Area, ...] = ()
    desks: tuple[Desk, ...] = ()
    parking_bays: tuple[ParkingBay, ...] = ()
    # Gaps in the bottom facade, as x positions.
    entrances: tuple[int, ...] = ()

    @property
    def outline(self) -> Box:
        return Box(self.margin, self.margin, self.width - self.margin, self.height - self.margin)


def bench(*, left: int, top: int, desks_per_side: int) -> tuple[Desk, ...]:
    """Return two rows of desks back to back, their top-left corner at (left, top)."""
    desks = []
    for row, chair in ((0, "top"), (1, "bottom")):
        y = top + row * DESK_DEPTH + DESK_DEPTH // 2
        for column in range(desks_per_side):
            x = left + column * DESK_WIDTH + DESK_WIDTH // 2
            desks.append(Desk(x=x, y=y, chair=chair))
    return tuple(desks)


def benches_in(box: Box, *, across: int, rows: int, desks_per_side: int) -> tuple[Desk, ...]:
    """Return `across` x `rows` benches spread evenly over `box`, chairs included."""
    bench_width = desks_per_side * DESK_WIDTH
    bench_height = 2 * DESK_DEPTH + 2 * CHAIR_SIZE
    gap_x = (box.right - box.left - across * bench_width) // (across + 1)
    gap_y = (box.bottom - box.top - rows * bench_height) // (rows + 1)
    if gap_x < 0 or gap_y < 0:
        raise ValueError(f"{across} x {rows} benches of {desks_per_side} don't fit in {box}.")
    desks: list[Desk] = []
    for row in range(rows):
        top = box.top + gap_y + row * (bench_height + gap_y) + CHAIR_SIZE
        for column in range(across):
            left = box.left + gap_x + column * (bench_width + gap_x)
            desks += bench(left=left, top=top, desks_per_side=desks_per_side)
    return tuple(desks)


def parking_row(
    *, x: int, top: int, count: int, opening: Literal["left", "right"], ev_every: int = 0
) -> tuple[ParkingBay, ...]:
    """Return `count` bays stacked downwards from `top`, centred on `x`."""
    return tuple(
        ParkingBay(
            x=x,
            y=top + index * BAY_DEPTH + BAY_DEPTH // 2,
            opening=opening,
            ev=bool(ev_every) and index % ev_every == 0,
        )
        for index in range(count)
    )


def render_floor_plan(plan: FloorPlan) -> bytes:
    """Return the plan drawn as a PNG of plan.width x plan.height pixels."""
    image = Image.new("RGB", (plan.width * SCALE, plan.height * SCALE), PAPER)
    draw = ImageDraw.Draw(image)
    _fill(draw, plan.outline, FLOOR)
    for index, area in enumerate(plan.areas):
        _draw_area(draw, area, AREA_TINTS[index % len(AREA_TINTS)])
    for room in plan.rooms:
        _draw_room(draw, room)
    for desk in plan.desks:
        _draw_desk(draw, desk)
    for bay in plan.parking_bays:
        _draw_parking_bay(draw, bay)
    _draw_outer_walls(draw, plan)
    _draw_title(draw, plan)
    # Each output pixel averages a 2 x 2 block: anti-aliasing at a fraction of a resize's cost.
    image = image.reduce(SCALE)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def floor_plan_file(plan: FloorPlan) -> ContentFile:
    """Return the rendered plan as a file to save into `Floor.plan_image`."""
    return ContentFile(render_floor_plan(plan), name="floor-plan.png")


def _s(*values: float) -> list[float]:
    return [value * SCALE for value in values]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: no system fonts needed in a slim container.
    return ImageFont.load_default(size=size * SCALE)


def _fill(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    draw.rectangle(_s(box.left, box.top, box.right, box.bottom), fill=colour)


def _label(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    *,
    anchor: str = "la",
    fill: str = LABEL,
) -> None:
    draw.text(_s(*xy), text, fill=fill, font=_font(size), anchor=anchor)


def _draw_area(draw: ImageDraw.ImageDraw, area: Area, tint: str) -> None:
    box = area.box
    draw.rounded_rectangle(
        _s(box.left, box.top, box.right, box.bottom), radius=10 * SCALE, fill=tint
    )
    _label(draw, (box.left + 10, box.top + 8), area.name.upper(), 12)


def _draw_room(draw: ImageDraw.ImageDraw, room: Room) -> None:
    box = room.box
    _fill(draw, box, SERVICE_FLOOR if room.service else ROOM_FLOOR)
    if room.service:
        _hatch(draw, box)
    if room.seats:
        _draw_meeting_table(draw, box, room.seats)
    _draw_walls_with_door(draw, box, room.door)
    label_y = box.top + 10 if room.seats else box.center[1]
    anchor = "mt" if room.seats else "mm"
    _label(draw, (box.center[0], label_y), room.name, 13, anchor=anchor)


def _hatch(draw: ImageDraw.ImageDraw, box: Box) -> None:
    width, height = box.right - box.left, box.bottom - box.top
    for offset in range(0, width + height, 14):
        # Diagonal lines clipped to the box by hand: Pillow has no clipping paths.
        x1, y1 = box.left + max(0, offset - height), box.top + min(offset, height)
        x2, y2 = box.left + min(offset, width), box.top + max(0, offset - width)
        draw.line(_s(x1, y1, x2, y2), fill=HATCH, width=SCALE)


def _draw_walls_with_door(draw: ImageDraw.ImageDraw, box: Box, door: Side) -> None:
    sides = {
        "top": ((box.left, box.top), (box.right, box.top)),
        "bottom": ((box.left, box.bottom), (box.right, box.bottom)),
        "left": ((box.left, box.top), (box.left, box.bottom)),
        "right": ((box.right, box.top), (box.right, box.bottom)),
    }
    for side, (start, end) in sides.items():
        if side != door:
            _wall(draw, start, end)
            continue
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        horizontal = start[1] == end[1]
        half = DOOR_WIDTH / 2
        if horizontal:
            hinge, free = (middle[0] - half, middle[1]), (middle[0] + half, middle[1])
        else:
            hinge, free = (middle[0], middle[1] - half), (middle[0], middle[1] + half)
        _wall(draw, start, hinge)
        _wall(draw, free, end)
        _draw_door_swing(draw, hinge, box, horizontal)


def _wall(draw: ImageDraw.ImageDraw, start, end, width: int = INNER_WALL) -> None:
    draw.line(_s(*start, *end), fill=WALL, width=width * SCALE)
    # Square off the joints, which Pillow leaves notched.
    for x, y in (start, end):
        half = width / 2
        draw.rectangle(_s(x - half, y - half, x + half, y + half), fill=WALL)


def _draw_door_swing(draw: ImageDraw.ImageDraw, hinge, box: Box, horizontal: bool) -> None:
    # The leaf opens into the room: a quarter circle from the hinge.
    x, y = hinge
    r = DOOR_WIDTH
    if horizontal:
        inward = 1 if y == box.top else -1
        leaf_end = (x, y + inward * r)
        angles = (0, 90) if inward == 1 else (270, 360)
    else:
        inward = 1 if x == box.left else -1
        leaf_end = (x + inward * r, y)
        angles = (0, 90) if inward == 1 else (90, 180)
    draw.arc(_s(x - r, y - r, x + r, y + r), *angles, fill=FURNITURE_LINE, width=SCALE)
    draw.line(_s(x, y, *leaf_end), fill=FURNITURE_LINE, width=2 * SCALE)


def _draw_meeting_table(draw: ImageDraw.ImageDraw, box: Box, seats: int) -> None:
    # The table runs along the room's longer side, below the room's name.
    cx, cy = box.center[0], box.center[1] + 10
    along_x = box.right - box.left >= box.bottom - box.top
    per_side = (seats + 1) // 2
    length = max(60, per_side * 30)
    half_length, half_width = length / 2, 22
    for index in range(seats):
        side = -1 if index % 2 == 0 else 1
        along = -half_length + (index // 2 + 0.5) * length / per_side
        across = side * (half_width + CHAIR_SIZE / 2 + 2)
        x, y = (cx + along, cy + across) if along_x else (cx + across, cy + along)
        _chair(draw, x, y)
    if not along_x:
        half_length, half_width = half_width, half_length
    draw.rounded_rectangle(
        _s(cx - half_length, cy - half_width, cx + half_length, cy + half_width),
        radius=12 * SCALE,
        fill=FURNITURE,
        outline=FURNITURE_LINE,
        width=SCALE,
    )


def _chair(draw: ImageDraw.ImageDraw, x: float, y: float) -> None:
    half = CHAIR_SIZE / 2
    draw.rounded_rectangle(
        _s(x - half, y - half, x + half, y + half),
        radius=5 * SCALE,
        fill=CHAIR,
        outline=FURNITURE_LINE,
        width=SCALE,
    )


def _draw_desk(draw: ImageDraw.ImageDraw, desk: Desk) -> None:
    chair_offset = DESK_DEPTH / 2 + CHAIR_SIZE / 2 - 2
    _chair(draw, desk.x, desk.y + (chair_offset if desk.chair == "bottom" else -chair_offset))
    half_w, half_d = DESK_WIDTH / 2, DESK_DEPTH / 2
    draw.rectangle(
        _s(desk.x - half_w, desk.y - half_d, desk.x + half_w, desk.y + half_d),
        fill=FURNITURE,
        outline=FURNITURE_LINE,
        width=SCALE,
    )


def _draw_parking_bay(draw: ImageDraw.ImageDraw, bay: ParkingBay) -> None:
    top, bottom = bay.y - BAY_DEPTH / 2, bay.y + BAY_DEPTH / 2
    left, right = bay.x - BAY_WIDTH / 2, bay.x + BAY_WIDTH / 2
    back = right if bay.opening == "left" else left
    for y in (top, bottom):
        draw.line(_s(left, y, right, y), fill=BAY_LINE, width=2 * SCALE)
    draw.line(_s(back, top, back, bottom), fill=BAY_LINE, width=2 * SCALE)
    if bay.ev:
        _label(draw, (bay.x, bay.y), "EV", 14, fill=EV, anchor="mm")
    else:
        _label(draw, (bay.x, bay.y), "P", 14, fill=BAY_LINE, anchor="mm")


def _draw_outer_walls(draw: ImageDraw.ImageDraw, plan: FloorPlan) -> None:
    box = plan.outline
    corners = [(box.left, box.top), (box.right, box.top), (box.right, box.bottom)]
    corners += [(box.left, box.bottom), (box.left, box.top)]
    for start, end in pairwise(corners):
        _wall(draw, start, end, width=OUTER_WALL)
    # Windows along the long facades, between the structural bays.
    for y in (box.top, box.bottom):
        for x in range(box.left + 60, box.right - 60, 90):
            if y == box.bottom and any(x - 40 < door < x + 100 for door in plan.entrances):
                continue
            _window(draw, x, y, x + 60)
    half = OUTER_WALL / 2 + 1
    for x in plan.entrances:
        draw.rectangle(_s(x - 30, box.bottom - half, x + 30, box.bottom + half), fill=FLOOR)
        _label(draw, (x, box.bottom + 14), "ENTRANCE", 10, anchor="mm")


def _window(draw: ImageDraw.ImageDraw, x1: float, y: float, x2: float) -> None:
    half = OUTER_WALL / 2
    draw.rectangle(_s(x1, y - half, x2, y + half), fill=PAPER, outline=WALL, width=SCALE)
    draw.line(_s(x1, y, x2, y), fill=WINDOW, width=3 * SCALE)


def _draw_title(draw: ImageDraw.ImageDraw, plan: FloorPlan) -> None:
    _label(draw, (plan.margin, plan.margin / 2), plan.title, 14, anchor="lm")
    # A scale bar: one plan pixel is about 2.5 cm, so 5 m is 200 px.
    right = plan.width - plan.margin
    y = plan.margin / 2
    draw.line(_s(right - 200, y, right, y), fill=LABEL, width=2 * SCALE)
    for x in (right - 200, right - 100, right):
        draw.line(_s(x, y - 4, x, y + 4), fill=LABEL, width=2 * SCALE)
    _label(draw, (right - 210, y), "0", 10, anchor="rm")
    _label(draw, (right - 100, y - 6), "2.5 m", 10, anchor="mb")
    _label(draw, (right + 4, y - 6), "5 m", 10, anchor="rb")
