import logging

import pytest

from officebooking.celery import app, enqueue_on_commit


@pytest.fixture
def broker_down():
    """Point Celery at a port where no broker listens, as when Redis is down."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app.pool.force_close_all()
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    app.pool.force_close_all()


@pytest.mark.django_db
def test_queueing_with_the_broker_down_logs_instead_of_failing(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("bookings.tasks.release_no_shows_task")
    assert "could not queue bookings.tasks.release_no_shows_task" in caplog.text
