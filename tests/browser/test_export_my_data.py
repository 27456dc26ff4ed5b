import json
import threading
import zipfile

import pytest
from django.db import connection
from playwright.sync_api import expect

from privacy import export as export_module
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, BookingFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def worker(monkeypatch):
    """Build exports a moment after the request, as a Celery worker would.

    Eager Celery would build the export inside the request, and the page would never show
    the progress.
    """
    threads = []

    def build_later(task_name, *, export_id):
        def run():
            try:
                export_module.build_export(export_id)
            finally:
                connection.close()

        thread = threading.Timer(1.5, run)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(export_module, "enqueue_on_commit", build_later)
    yield
    for thread in threads:
        thread.join()


def test_an_employee_downloads_their_data_as_a_zip(page, employee, desk, worker, tmp_path):
    BookingFactory(resource=desk, user=employee)
    log_in(page, employee.email, TEST_PASSWORD)

    page.goto("/privacy/my-data/")
    expect(page.get_by_role("heading", name="My data", exact=True)).to_be_visible()
    page.get_by_role("button", name="Download my data").click()
    expect(page.locator("#export-list progress")).to_be_visible()
    link = page.get_by_role("link", name="Download the ZIP")
    expect(link).to_be_visible()
    expect(page.locator("#export-list progress")).to_have_count(0)

    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "export.zip"
    download_info.value.save_as(path)

    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        assert "bookings.ics" in archive.namelist()
    assert data["sections"]["profiles.user"]["email"] == employee.email
    assert len(data["sections"]["bookings.booking"]["mine"]) == 1
    assert page.csp_violations == []
