"""The production configuration passes Django's deployment checks, and models match migrations."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def _production_env() -> dict[str, str]:
    # DATABASE_URL and REDIS_URL stay as the suite has them: the test PostgreSQL and Redis,
    # or the embedded defaults when unset. The suite's own DJANGO_ALLOW_ASYNC_UNSAFE (for
    # Playwright) is no part of production and would fail the check.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **env,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "DJANGO_ALLOWED_HOSTS": "booking.example.com",
    }


def test_production_settings_pass_the_deployment_checks_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_models_have_no_changes_missing_from_the_migrations():
    result = _manage("makemigrations", "--check", "--dry-run", env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
