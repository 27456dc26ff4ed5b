"""Staff cancel a booking in admin with a reason; organisation admins read the audit log."""

import pytest
from playwright.sync_api import expect

from bookings.models import BookingStatus
from profiles.models import AuditEntry
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, BookingFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_facility_manager_cancels_a_booking_in_admin_with_a_reason(
    page, facility_manager, employee, desk
):
    booking = BookingFactory(resource=desk, user=employee)
    log_in(page, facility_manager.email, TEST_PASSWORD)
    page.goto("/admin/bookings/booking/")
    page.locator(f'input[name="_selected_action"][value="{booking.pk}"]').check()
    page.locator('select[name="action"]').select_option("cancel_selected")
    page.get_by_role("button", name="Go").click()

    page.get_by_label("Reason").fill("The desk is being repaired")
    page.get_by_role("button", name="Cancel these bookings").click()

    expect(page.get_by_text("1 booking cancelled.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert AuditEntry.objects.get().reason == "The desk is being repaired"
    assert page.csp_violations == []


def test_an_organisation_admin_reads_the_audit_log(page, organization_admin, employee, desk):
    from bookings.services import cancel_booking

    booking = BookingFactory(resource=desk, user=employee)
    cancel_booking(booking=booking, actor=organization_admin, reason="Visitor needs it")
    log_in(page, organization_admin.email, TEST_PASSWORD)
    page.goto("/admin/profiles/auditentry/")

    expect(page.get_by_text("Visitor needs it")).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV (times in UTC)")).to_be_visible()
    assert page.csp_violations == []
