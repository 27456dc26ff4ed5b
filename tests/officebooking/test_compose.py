"""docker-compose.yml and the Dockerfile, checked against the code they start.

No Docker engine runs here, so the files are read as data and each command, module, URL and
variable they name is looked up in the project; the web command and its healthcheck also run
for real, without Docker.
"""

import ast
import fnmatch
import importlib
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from celery.app.utils import find_app
from django.conf import settings
from django.urls import resolve
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from officebooking.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def _compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _service(name: str) -> dict:
    return _compose()["services"][name]


def _command(name: str) -> list[str]:
    command = _service(name)["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def _healthcheck_code() -> str:
    test = _service("web")["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    return test[3]


def _dockerfile() -> list[tuple[str, str]]:
    """Return the Dockerfile's instructions as (INSTRUCTION, arguments), continuations joined."""
    text = (BASE_DIR / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            instructions.append((instruction.upper(), arguments.strip()))
    return instructions


def _run_steps() -> list[list[str]]:
    return [
        shlex.split(arguments) for instruction, arguments in _dockerfile() if instruction == "RUN"
    ]


def _variables_read_by_settings() -> set[str]:
    """Return every environment variable name that officebooking/settings.py reads."""
    tree = ast.parse((BASE_DIR / "officebooking" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            reads = re.fullmatch(r"env_\w+|os\.environ\.get|os\.getenv", ast.unparse(node.func))
            argument = node.args[0]
        elif isinstance(node, ast.Subscript):
            reads = ast.unparse(node.value) == "os.environ"
            argument = node.slice
        else:
            continue
        if reads and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
    return names


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reachable_database_url(tmp_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'healthcheck.sqlite3'}"
    # The server's maintenance database exists whatever the suite's database is called.
    return urlsplit(url)._replace(path="/postgres").geturl()


def test_every_service_an_app_service_waits_for_is_defined_and_reports_its_state():
    services = _compose()["services"]
    for name in APP_SERVICES:
        for needed, condition in _service(name)["depends_on"].items():
            assert needed in services, f"{name} waits for an undefined service {needed}"
            if condition == {"condition": "service_healthy"}:
                assert "healthcheck" in services[needed], f"{needed} has no healthcheck"


def test_app_services_run_one_image_with_one_environment_and_their_own_command():
    services = [_service(name) for name in APP_SERVICES]
    assert all(service["build"] == "." for service in services)
    assert len({service["image"] for service in services}) == 1
    assert all(service["environment"] == services[0]["environment"] for service in services)
    assert len({tuple(_command(name)) for name in APP_SERVICES}) == len(APP_SERVICES)


def test_migrations_run_once_before_web_worker_and_beat_start():
    assert _command("migrate")[:3] == ["python", "manage.py", "migrate"]
    for name in ["web", "worker", "beat"]:
        depends_on = _service(name)["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
    assert _service("migrate")["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_web_command_serves_the_projects_wsgi_application():
    argv = _command("web")
    assert argv[0] == "gunicorn"
    module_name, attribute = argv[1].split(":")
    application = getattr(importlib.import_module(module_name), attribute)
    assert module_name == settings.WSGI_APPLICATION.rsplit(".", 1)[0]
    assert callable(application)


def test_worker_and_beat_commands_name_the_project_celery_app():
    for name, role in [("worker", "worker"), ("beat", "beat")]:
        argv = _command(name)
        assert argv[:2] == ["celery", "-A"]
        assert find_app(argv[2]) is celery_app
        assert argv[3] == role


def test_beat_schedules_jobs_the_worker_knows():
    schedule = celery_app.conf.beat_schedule
    assert schedule
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


def test_app_services_set_only_variables_the_settings_read():
    read = _variables_read_by_settings()
    for name in APP_SERVICES:
        unknown = set(_service(name)["environment"]) - read
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


def test_app_services_reach_the_compose_postgres_database_and_redis():
    environment = _service("web")["environment"]
    database, redis = urlsplit(environment["DATABASE_URL"]), urlsplit(environment["REDIS_URL"])
    assert database.hostname == "postgres"
    assert database.path == f"/{_service('postgres')['environment']['POSTGRES_DB']}"
    assert redis.hostname == "redis"
    # Variables the production settings refuse to start without are passed on from the shell.
    for name in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "OFFICEBOOKING_BASE_URL"]:
        assert name in environment


def test_starting_only_postgres_and_redis_needs_no_variables():
    # Compose interpolates the whole file before it picks services: one required variable
    # (${NAME:?...}) anywhere would make `docker compose up -d postgres redis` fail.
    text = (BASE_DIR / "docker-compose.yml").read_text()
    without_comments = re.sub(r"(?m)^\s*#.*$", "", text)
    assert not re.search(r"\$\{\w+:?\?", without_comments)


def test_web_and_worker_share_the_media_volume_at_the_media_root():
    media_root = _service("web")["environment"]["DJANGO_MEDIA_ROOT"]
    for name in ["web", "worker"]:
        assert f"media:{media_root}" in _service(name)["volumes"]
    assert "media" in _compose()["volumes"]


def test_every_named_volume_a_service_mounts_is_declared():
    declared = set(_compose()["volumes"])
    for name, service in _compose()["services"].items():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts an undeclared volume {source}"


def test_web_healthcheck_asks_the_gunicorn_port_for_healthz():
    url = re.search(r"http://[^'\"\s]+", _healthcheck_code()).group()
    bind = _option(_command("web"), "--bind")
    assert urlsplit(url).port == int(bind.rsplit(":", 1)[1])
    assert resolve(urlsplit(url).path).url_name == "healthz"


def test_web_healthcheck_passes_against_the_web_command(tmp_path):
    port = _free_port()
    argv = [f"127.0.0.1:{port}" if arg == "0.0.0.0:8000" else arg for arg in _command("web")]
    environment = {
        **_service("web")["environment"],
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),
        "DJANGO_ALLOWED_HOSTS": "booking.example.com",
        "OFFICEBOOKING_BASE_URL": "https://booking.example.com",
        "DATABASE_URL": _reachable_database_url(tmp_path),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env = {**os.environ, **{k: v for k, v in environment.items() if v is not None}}
    if environment["REDIS_URL"] is None:
        env.pop("REDIS_URL", None)
    probe = [sys.executable, "-c", _healthcheck_code().replace(":8000/", f":{port}/")]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", *argv], cwd=BASE_DIR, env=env, stderr=log_file
        )
    try:
        result = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            result = subprocess.run(probe, env=env, capture_output=True, text=True)  # noqa: S603
            if result.returncode == 0:
                break
            time.sleep(0.3)
        assert server.poll() is None, log.read_text()
        assert result.returncode == 0, result.stderr + log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_image_exposes_the_port_gunicorn_binds_and_runs_as_an_unprivileged_user():
    instructions = _dockerfile()
    bind = _option(_command("web"), "--bind")
    assert ("EXPOSE", bind.rsplit(":", 1)[1]) in instructions
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}


def test_image_python_is_one_the_project_supports():
    (base,) = [arguments for instruction, arguments in _dockerfile() if instruction == "FROM"]
    image, _, tag = base.partition(":")
    assert image == "python"
    version = re.match(r"\d+\.\d+", tag).group()
    requires = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    assert Version(version) in SpecifierSet(requires["requires-python"])


def test_dockerfile_copies_and_installs_files_that_exist_and_are_not_ignored():
    ignored = [
        line.strip()
        for line in (BASE_DIR / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copies = [
        arguments.split() for instruction, arguments in _dockerfile() if instruction == "COPY"
    ]
    sources = [source for copy in copies for source in copy[:-1] if source != "."]
    assert "pyproject.toml" in sources
    assert ["pip", "install", "."] in _run_steps()
    for needed in [*sources, "manage.py"]:
        assert (BASE_DIR / needed).is_file()
        assert not any(fnmatch.fnmatch(needed, pattern) for pattern in ignored), needed


def test_dockerfile_collectstatic_step_runs_as_written(tmp_path):
    (step,) = [argv for argv in _run_steps() if "collectstatic" in argv]
    assignments = [arg for arg in step if re.fullmatch(r"[A-Z_]+=\S*", arg)]
    argv = step[len(assignments) :]
    assert argv[:3] == ["python", "manage.py", "collectstatic"]
    # As in the build: no database, no broker, only what the step sets itself.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(arg.split("=", 1) for arg in assignments)
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    result = subprocess.run(  # noqa: S603
        [sys.executable, *argv[1:]], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # DJANGO_DEBUG=0 serves through the manifest storage, which needs this file.
    assert (tmp_path / "static" / "staticfiles.json").is_file()
