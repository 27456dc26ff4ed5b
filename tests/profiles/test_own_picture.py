"""The person's own picture: served to them, and a 404 when its file is gone."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from profiles.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(employee):
    profile, _created = Profile.objects.get_or_create(user=employee)
    profile.picture.save("me.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"))
    return profile.picture


def test_the_own_picture_is_served(client, employee, picture):
    client.force_login(employee)

    response = client.get(reverse("own_profile_picture"))

    assert response.status_code == 200


def test_a_picture_missing_from_disk_answers_404(client, employee, picture):
    default_storage.delete(picture.name)
    client.force_login(employee)

    response = client.get(reverse("own_profile_picture"))

    assert response.status_code == 404
