"""The demo sits above every app: seeding may use them all, none of them may use it."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["officebooking", "profiles", "locations", "bookings", "privacy", "sensors"]


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_no_other_app_imports_the_demo():
    importers = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if any(m == "demo" or m.startswith("demo.") for m in _imported_modules(path))
    ]

    assert importers == []


def test_the_demo_is_installed_after_every_app_it_uses():
    apps = settings.INSTALLED_APPS

    assert all(apps.index(app) < apps.index("demo") for app in APPS)
