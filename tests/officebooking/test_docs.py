"""docs/architecture.md and the README name apps, modules, jobs, commands and settings: each
must exist, so the pages can't drift from the code unnoticed."""

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

ROOT = Path(settings.BASE_DIR)
ARCHITECTURE = "docs/architecture.md"
README = "README.md"
SOURCE_EXCLUDED = {"migrations", "tests", ".venv", "node_modules"}
# How settings.py reads the environment: its own typed readers, or os directly.
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "os.getenv", "os.environ.get"}


def _read(name: str) -> str:
    return (ROOT / name).read_text()


def _section(text: str, heading: str) -> str:
    """Return the text under the `## heading`, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def _table(text: str) -> list[list[str]]:
    """Return the body rows of the first Markdown table in `text`, as lists of cells."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) > 2, "no table"
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def _code(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _project_apps() -> set[str]:
    return {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}


def _every(schedule) -> str:
    """Return how the docs write a crontab: "5 min", or "nightly 02:15"."""
    minute, hour = str(schedule._orig_minute), str(schedule._orig_hour)
    if hour == "*" and minute == "*":
        return "1 min"
    if hour == "*" and minute.startswith("*/"):
        return f"{minute[2:]} min"
    return f"nightly {int(hour):02d}:{int(minute):02d}"


def _beat_schedule() -> dict[str, tuple[str, str]]:
    return {
        name: (entry["task"], _every(entry["schedule"]))
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }


def _env_vars_read_by_settings() -> set[str]:
    tree = ast.parse((ROOT / "officebooking" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) in ENV_READERS
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def _source_files() -> list[Path]:
    files = []
    for app in _project_apps():
        for path in (ROOT / app).rglob("*.py"):
            if not SOURCE_EXCLUDED & set(path.relative_to(ROOT).parts):
                files.append(path)
    return files


def _class_members() -> dict[str, set[str]]:
    """Return the names defined in each class body of the project's code, by class name."""
    members: dict[str, set[str]] = {}
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                names = members.setdefault(node.name, set())
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                        names.add(item.name)
                    elif isinstance(item, ast.Assign | ast.AnnAssign):
                        targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return members


def _resolve_dotted(path: str) -> bool:
    """Return whether `app.module.name` (or `app.Model`) names something that exists."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                target = getattr(target, attribute)
        except AttributeError:
            break
        return True
    if len(parts) == 2:
        try:
            apps.get_model(parts[0], parts[1])
        except LookupError:
            return False
        return True
    return False


def _missing_names(text: str) -> list[str]:
    """Return each code span of `text` that names a file, module, class member, command or
    setting of this project that does not exist."""
    project = "|".join(sorted(_project_apps()))
    dotted = re.compile(rf"^(?:{project})(?:\.\w+)+$")
    member = re.compile(r"^([A-Z]\w+)\.(\w+)$")
    members = _class_members()
    relative = re.compile(r"^([a-z_]+)\.(\w+)\(\)$")
    modules: dict[str, list[str]] = {}
    for path in _source_files():
        if path.parent.name in _project_apps():
            modules.setdefault(path.stem, []).append(path.parent.name)
    commands = get_commands()
    env_vars = _env_vars_read_by_settings()
    missing = []
    for span in _code(text):
        name = span.removesuffix("()")
        if re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+", span):
            # A path from the top of the repository, or one the template loaders find.
            if not (ROOT / span).exists():
                try:
                    get_template(span)
                except TemplateDoesNotExist:
                    missing.append(span)
        elif re.fullmatch(r"[\w-]+\.(py|yml|toml|md)", span):
            # A module named by its file, in the app whose row or paragraph it is in.
            if not any((ROOT / app / span).exists() for app in ["", *_project_apps()]):
                missing.append(span)
        elif dotted.match(name):
            if not _resolve_dotted(name):
                missing.append(span)
        elif (match := member.match(name)) and match.group(1) in members:
            if match.group(2) not in members[match.group(1)]:
                missing.append(span)
        elif (match := relative.match(span)) and match.group(1) in modules:
            # `selectors.floor_plan()`: a module of one of the apps, named without its app.
            if not any(_resolve_dotted(f"{app}.{name}") for app in modules[match.group(1)]):
                missing.append(span)
        elif re.fullmatch(r"(OFFICEBOOKING|DJANGO|CELERY)_[A-Z_]+(=.*)?", span):
            setting = span.split("=")[0]
            if not hasattr(settings, setting) and setting not in env_vars:
                missing.append(span)
        for command in re.findall(r"manage\.py (\w+)", span):
            if command not in commands:
                missing.append(span)
    # "`privacy/export.py` `EXPORTERS`": a name right after its module's file is defined there.
    for file, name in re.findall(r"`(\w+(?:/\w+)*)\.py` `(\w+)(?:\(\))?`", text):
        module = file.replace("/", ".")
        if (ROOT / f"{file}.py").exists() and not _resolve_dotted(f"{module}.{name}"):
            missing.append(f"{file}.py {name}")
    return missing


def test_the_apps_table_names_exactly_the_projects_installed_apps():
    rows = _table(_section(_read(ARCHITECTURE), "Apps and what each owns"))

    named = {name.rstrip("/") for row in rows for name in _code(row[0])}

    assert named == _project_apps()


def test_the_architectures_periodic_jobs_are_the_beat_schedule():
    rows = _table(_section(_read(ARCHITECTURE), "Background work"))

    documented = {_code(job)[0]: (_code(task)[0], every) for job, task, every in rows}

    assert documented == _beat_schedule()


@pytest.mark.parametrize("page", [ARCHITECTURE, README])
def test_every_module_command_and_setting_the_page_names_exists(page):
    assert _missing_names(_read(page)) == []


def test_the_readme_lists_exactly_the_variables_settings_reads():
    rows = _table(_section(_read(README), "Configuration"))

    listed = {name for row in rows for name in _code(row[0])}

    assert listed == _env_vars_read_by_settings()


def test_every_command_in_the_readmes_periodic_jobs_exists():
    rows = _table(_section(_read(README), "Periodic jobs"))

    commands = [
        code.removeprefix("manage.py ") for _job, cell, _every in rows for code in _code(cell)
    ]

    assert commands
    assert [command for command in commands if command not in get_commands()] == []


def test_the_readmes_periodic_jobs_follow_the_beat_schedule():
    rows = _table(_section(_read(README), "Periodic jobs"))

    schedules = sorted(every for _job, _command, every in rows)

    assert schedules == sorted(every for _task, every in _beat_schedule().values())


def test_the_check_finds_a_module_path_that_does_not_exist():
    text = "`bookings/nothing.py`, `profiles.audit.no_such_function()`, `manage.py no_such`"

    assert _missing_names(text) == [
        "bookings/nothing.py",
        "profiles.audit.no_such_function()",
        "manage.py no_such",
    ]
