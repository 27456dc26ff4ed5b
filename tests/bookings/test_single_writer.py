"""No module outside bookings/services* writes bookings or check-ins.

The services lock in one order and check every rule; a write elsewhere skips both. This reads
the source with `ast` and follows, within each module, the names that hold a Booking or
CheckIn (or a queryset of them): assigned from an expression about them, looped over, or
annotated with the model. Related managers (`user.bookings`, `booking.check_in`) count too,
and so does raw SQL that changes their tables.
"""

import ast
import re
from pathlib import Path

import pytest

from bookings.models import Booking, CheckIn

ROOT = Path(__file__).resolve().parents[2]
APPS = ("officebooking", "profiles", "locations", "bookings", "privacy", "sensors", "demo")

MODELS = {model.__name__ for model in (Booking, CheckIn)}
WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
RAW_WRITE = re.compile(
    r"\b(insert\s+into|update|delete\s+from|truncate)\s+(table\s+)?\"?"
    rf"({Booking._meta.db_table}|{CheckIn._meta.db_table})\b",
    re.IGNORECASE,
)

# Where writing them directly is the point, each with the reason.
ALLOWED = {
    # A benchmark's year of history on its own throwaway organisation: bulk_create sets the
    # scene in seconds where the service would take minutes.
    "officebooking/management/commands/bench.py",
}


def _related_accessors() -> set[str]:
    """Return the names other models reach bookings and check-ins by (`user.bookings`)."""
    names = set()
    for model in (Booking, CheckIn):
        for field in model._meta.get_fields():
            hidden = (getattr(field.remote_field, "related_name", None) or "").endswith("+")
            if field.is_relation and field.concrete and not hidden:
                names.add(field.remote_field.get_accessor_name())
    return names


RELATED = _related_accessors()


def _mentions_model(annotation: ast.expr | None) -> bool:
    return annotation is not None and any(
        isinstance(node, ast.Name) and node.id in MODELS for node in ast.walk(annotation)
    )


def _is_about_them(node: ast.expr, held: set[str]) -> bool:
    """Return whether the expression is, or is built from, a booking or check-in."""
    while True:
        if isinstance(node, ast.Name):
            return node.id in MODELS or node.id in held
        if isinstance(node, ast.Attribute):
            if node.attr in RELATED:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return False


def _targets(target: ast.expr) -> list[str]:
    return [node.id for node in ast.walk(target) if isinstance(node, ast.Name)]


def _names_holding_them(tree: ast.Module) -> set[str]:
    held: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and _mentions_model(node.annotation):
            held.add(node.arg)
        elif isinstance(node, ast.AnnAssign) and _mentions_model(node.annotation):
            held.update(_targets(node.target))
    # Until nothing new is found: `a = Booking.objects...; b = a.filter(); for c in b: ...`.
    while True:
        before = len(held)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value:
                if _is_about_them(node.value, held):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        held.update(_targets(target))
            elif isinstance(node, ast.For | ast.comprehension):
                if _is_about_them(node.iter, held):
                    held.update(_targets(node.target))
            elif (
                isinstance(node, ast.withitem)
                and node.optional_vars is not None
                and _is_about_them(node.context_expr, held)
            ):
                held.update(_targets(node.optional_vars))
        if len(held) == before:
            return held


def writes_in(source: str) -> list[str]:
    """Return `line: code` for each write to bookings or check-ins in the source."""
    tree = ast.parse(source)
    held = _names_holding_them(tree)
    found = [
        node
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and _is_about_them(node.func.value, held)
        )
        or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_WRITE.search(node.value)
        )
    ]
    return [f"{node.lineno}: {ast.get_source_segment(source, node)}" for node in found]


def _modules_outside_the_services() -> list[Path]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or str(relative) in ALLOWED:
                continue
            if relative.parts[0] == "bookings" and relative.name.startswith("services"):
                continue
            if relative.parts[:2] == ("bookings", "services"):
                continue
            modules.append(path)
    return modules


def test_no_module_outside_the_services_writes_bookings_or_check_ins():
    modules = _modules_outside_the_services()
    assert len(modules) > 50, "the scan found too few modules to mean anything"
    offences = {
        str(path.relative_to(ROOT)): found
        for path in modules
        if (found := writes_in(path.read_text()))
    }
    assert offences == {}


def test_the_services_are_where_the_writes_are():
    source = (ROOT / "bookings" / "services.py").read_text()
    assert len(writes_in(source)) > 10


@pytest.mark.parametrize(
    "source",
    [
        "Booking.objects.filter(user=user).delete()",
        "CheckIn.objects.filter(user=user).update(checked_out_at=now)",
        "Booking.objects.create(user=user)",
        "theirs = Booking.objects.filter(user=user)\ntheirs.delete()",
        "for booking in Booking.objects.all():\n    booking.save()",
        "def f(booking: Booking):\n    booking.status = 'x'\n    booking.save()",
        "user.bookings.all().delete()",
        "booking.check_in.save(update_fields=['checked_out_at'])",
        "Booking.objects.bulk_create([Booking(user=user)])",
        "if (rows := Booking.objects.all()):\n    rows.update(end=now)",
        "cursor.execute('DELETE FROM bookings_booking WHERE id = %s', [1])",
    ],
)
def test_the_scan_finds_a_write(source):
    assert writes_in(source)


@pytest.mark.parametrize(
    "source",
    [
        "Booking.objects.filter(user=user).count()",
        "list(CheckIn.objects.filter(user=user))",
        "Resource.objects.filter(pk=1).update(is_active=False)",
        "create_booking(user=user, resource=desk, start=start, end=end)",
        "DataExport.objects.filter(user=user).delete()",
        "cursor.execute('ANALYZE bookings_booking')",
    ],
)
def test_the_scan_leaves_reads_and_other_models_alone(source):
    assert not writes_in(source)
