import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from privacy import export as export_module
from privacy.export import (
    EXPORTERS,
    build_export,
    delete_expired_exports,
    queue_waiting_exports,
)
from privacy.models import DataExport
from tests.factories import BookingFactory, CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(client, employee):
    client.force_login(employee)
    return client


def start(client, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("start_export"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return DataExport.objects.latest("created_at")


def read_zip(client, export: DataExport) -> zipfile.ZipFile:
    response = client.get(reverse("export_download", args=[export.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_every_model_that_points_to_a_person_has_an_exporter():
    user_model = get_user_model()
    labels = {
        model._meta.label_lower
        for model in apps.get_models()
        if any(
            field.is_relation and field.concrete and field.related_model is user_model
            for field in model._meta.get_fields()
        )
    }

    assert labels | {"profiles.user"} <= set(EXPORTERS)


def test_the_export_is_built_on_commit_and_reaches_100(
    erin, employee, django_capture_on_commit_callbacks
):
    export = start(erin, django_capture_on_commit_callbacks)

    assert export.user == employee
    assert export.status == DataExport.Status.READY
    assert export.progress == 100
    assert export.expires_at == export.finished_at + timedelta(days=7)


def test_the_zip_holds_every_section_the_calendar_and_no_picture_without_one(
    erin, employee, desk, django_capture_on_commit_callbacks
):
    CheckInFactory(booking=BookingFactory(resource=desk, user=employee))
    export = start(erin, django_capture_on_commit_callbacks)

    with read_zip(erin, export) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("data.json"))
        calendar = Calendar.from_ical(archive.read("bookings.ics"))

    assert names == {"data.json", "bookings.ics", "README.txt"}
    assert set(data["sections"]) == set(EXPORTERS)
    assert data["sections"]["profiles.user"]["email"] == employee.email
    assert len(data["sections"]["bookings.booking"]["mine"]) == 1
    assert len(data["sections"]["bookings.checkin"]) == 1
    assert len(calendar.walk("VEVENT")) == 1


def test_the_zip_includes_the_profile_picture(erin, employee, django_capture_on_commit_callbacks):
    employee.profile.picture.save("me.jpg", ContentFile(b"\xff\xd8 a picture"))
    export = start(erin, django_capture_on_commit_callbacks)

    with read_zip(erin, export) as archive:
        assert archive.read("profile-picture.jpg") == b"\xff\xd8 a picture"
        profile = json.loads(archive.read("data.json"))["sections"]["profiles.profile"]

    assert profile["picture"] == "profile-picture.jpg"


def test_the_export_leaves_out_secrets(erin, employee, django_capture_on_commit_callbacks):
    from bookings.services import create_calendar_feed

    feed, token = create_calendar_feed(user=employee)
    export = start(erin, django_capture_on_commit_callbacks)

    with read_zip(erin, export) as archive:
        text = archive.read("data.json").decode()

    assert token not in text
    assert feed.token_hash not in text
    assert employee.password not in text


def test_progress_is_saved_step_by_step(employee, monkeypatch):
    export = DataExport.objects.create(user=employee)
    seen = []
    original = export_module._set_progress
    monkeypatch.setattr(
        export_module,
        "_set_progress",
        lambda row, progress: (seen.append(progress), original(row, progress)),
    )

    build_export(export.pk)

    assert seen == sorted(seen) and len(seen) > 3
    export.refresh_from_db()
    assert export.progress == 100


def test_building_twice_builds_once(employee):
    export = DataExport.objects.create(user=employee)

    assert build_export(export.pk) is not None
    assert build_export(export.pk) is None


def test_a_failing_build_is_marked_failed(employee, monkeypatch):
    export = DataExport.objects.create(user=employee)

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setitem(EXPORTERS, "profiles.user", broken)

    build_export(export.pk)

    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    assert not export.file


def test_a_second_click_while_building_reuses_the_export(erin, employee):
    # Without executing on-commit callbacks, the first export stays waiting.
    erin.post(reverse("start_export"), HTTP_HX_REQUEST="true")
    response = erin.post(reverse("start_export"), HTTP_HX_REQUEST="true")

    assert DataExport.objects.filter(user=employee).count() == 1
    assert response["HX-Reswap"] == "none"


def test_the_status_polls_while_building_and_stops_when_ready(erin, employee):
    export = DataExport.objects.create(user=employee, status=DataExport.Status.RUNNING)
    url = reverse("export_status", args=[export.pk])

    running = erin.get(url, HTTP_HX_REQUEST="true")
    build_export_ready(export)
    ready = erin.get(url, HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Request" in running["Vary"]
    assert 'hx-trigger="every 1s"' not in ready.content.decode()
    assert reverse("export_download", args=[export.pk]) in ready.content.decode()


def build_export_ready(export: DataExport) -> None:
    export.status = DataExport.Status.PENDING
    export.save()
    build_export(export.pk)


def test_without_htmx_the_status_sends_me_to_the_page(erin, employee):
    export = DataExport.objects.create(user=employee)

    response = erin.get(reverse("export_status", args=[export.pk]))

    assert response.status_code == 302


def test_a_post_without_htmx_redirects_to_the_page(
    erin, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = erin.post(reverse("start_export"))

    assert response.status_code == 302
    assert DataExport.objects.get(user=employee).status == DataExport.Status.READY


@pytest.mark.parametrize("view", ["export_status", "export_download"])
def test_a_colleagues_export_is_not_found(client, colleague, employee, view):
    export = DataExport.objects.create(user=employee)
    build_export(export.pk)
    client.force_login(colleague)

    response = client.get(reverse(view, args=[export.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 404


@pytest.mark.parametrize("view", ["export_status", "export_download"])
def test_another_organisations_export_is_not_found(client, stranger, employee, view):
    export = DataExport.objects.create(user=employee)
    build_export(export.pk)
    client.force_login(stranger)

    response = client.get(reverse(view, args=[export.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 404


def test_an_export_that_is_not_ready_cannot_be_downloaded(erin, employee):
    export = DataExport.objects.create(user=employee)

    response = erin.get(reverse("export_download", args=[export.pk]))

    assert response.status_code == 404


def test_an_expired_export_is_gone(erin, employee):
    export = build_export(DataExport.objects.create(user=employee).pk)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    download = erin.get(reverse("export_download", args=[export.pk]))
    status = erin.get(reverse("export_status", args=[export.pk]), HTTP_HX_REQUEST="true")

    assert download.status_code == 404
    assert status.status_code == 404


def test_expired_exports_are_deleted_with_their_file(employee):
    expired = build_export(DataExport.objects.create(user=employee).pk)
    fresh = build_export(DataExport.objects.create(user=employee).pk)
    DataExport.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    deleted = delete_expired_exports(now=timezone.now())

    assert deleted == 1
    assert list(DataExport.objects.all()) == [fresh]
    assert not default_storage.exists(expired.file.name)
    assert default_storage.exists(fresh.file.name)


def test_an_export_within_its_7_days_is_kept(employee):
    export = build_export(DataExport.objects.create(user=employee).pk)

    deleted = delete_expired_exports(now=export.finished_at + timedelta(days=6))

    assert deleted == 0
    assert default_storage.exists(export.file.name)


def test_the_command_deletes_expired_exports(employee, capsys):
    export = build_export(DataExport.objects.create(user=employee).pk)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("delete_expired_exports")

    assert not DataExport.objects.exists()
    assert "Deleted 1" in capsys.readouterr().out


def test_the_sweep_builds_an_export_left_waiting(employee, django_capture_on_commit_callbacks):
    export = DataExport.objects.create(
        user=employee, created_at=timezone.now() - timedelta(minutes=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        queued = queue_waiting_exports(now=timezone.now())

    assert queued == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY


def test_the_sweep_leaves_a_fresh_export_to_its_worker(employee):
    DataExport.objects.create(user=employee)

    assert queue_waiting_exports(now=timezone.now()) == 0


def test_the_sweep_fails_a_build_that_died(employee):
    export = DataExport.objects.create(
        user=employee,
        status=DataExport.Status.RUNNING,
        created_at=timezone.now() - timedelta(hours=2),
    )

    queue_waiting_exports(now=timezone.now())

    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    assert export.expires_at is not None
