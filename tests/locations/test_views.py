import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from tests.factories import FloorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor_with_plan(building):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    floor = FloorFactory(building=building)
    floor.plan_image.save("plan.png", ContentFile(buffer.getvalue()))
    return floor


def test_a_member_gets_the_floor_plan(client, employee, floor_with_plan):
    client.force_login(employee)
    url = reverse("locations:floor_plan_image", args=[floor_with_plan.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_another_organisation_gets_404_for_the_floor_plan(client, stranger, floor_with_plan):
    client.force_login(stranger)
    url = reverse("locations:floor_plan_image", args=[floor_with_plan.pk])
    assert client.get(url).status_code == 404


def test_a_floor_plan_needs_a_login(client, floor_with_plan):
    url = reverse("locations:floor_plan_image", args=[floor_with_plan.pk])
    assert client.get(url).status_code == 302


def test_the_admin_links_the_plan_to_the_checked_view(client, facility_manager, floor_with_plan):
    client.force_login(facility_manager)
    response = client.get(reverse("admin:locations_floor_change", args=[floor_with_plan.pk]))
    plan_url = reverse("locations:floor_plan_image", args=[floor_with_plan.pk])
    assert f'href="{plan_url}"' in response.content.decode()
    assert "/files/" not in response.content.decode()
