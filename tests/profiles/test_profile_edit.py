"""The profile page: name, language, optional data, and a picture that keeps no secrets."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from profiles.models import Profile, User
from tests.factories import BuildingFactory

pytestmark = pytest.mark.django_db

URL = reverse("profile_edit")


@pytest.fixture
def erin_client(client, employee):
    client.force_login(employee)
    return client


def _jpeg_with_gps(size=(2000, 1500)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 30.0),
    }
    output = io.BytesIO()
    Image.new("RGB", size, "orange").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def _upload(data: bytes, name="anna-at-home-2024.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post(client, **data):
    return client.post(URL, {"full_name": "Erin", "language": "", **data})


def _profile(user: User) -> Profile:
    return Profile.objects.get(user=user)


def test_the_test_picture_really_carries_gps():
    with Image.open(io.BytesIO(_jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_uploaded_picture_loses_its_exif_and_gps(erin_client, employee):
    response = _post(erin_client, picture=_upload(_jpeg_with_gps()))

    assert response.status_code == 302
    with _profile(employee).picture.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


def test_uploaded_picture_is_downscaled_to_at_most_512_pixels(erin_client, employee):
    _post(erin_client, picture=_upload(_jpeg_with_gps(size=(2000, 1500))))

    with _profile(employee).picture.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (512, 384)


def test_uploaded_picture_is_stored_under_a_random_name(erin_client, employee):
    _post(erin_client, picture=_upload(_jpeg_with_gps()))

    name = _profile(employee).picture.name
    assert re.fullmatch(r"profile-pictures/[0-9a-f]{32}\.jpg", name)


def test_a_png_is_accepted_and_stored_as_jpeg(erin_client, employee):
    output = io.BytesIO()
    Image.new("RGBA", (64, 64), (10, 20, 30, 128)).save(output, format="PNG")

    _post(erin_client, picture=_upload(output.getvalue(), "me.png", "image/png"))

    with _profile(employee).picture.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB")


def test_a_file_that_is_not_an_image_gets_a_clear_error(erin_client, employee):
    response = _post(erin_client, picture=_upload(b"%PDF-1.4 not a picture", "cv.jpg"))

    assert response.status_code == 200
    assert "This file is not a picture we can read." in response.text
    assert not _profile(employee).picture


def test_a_decompression_bomb_gets_a_clear_error(erin_client, employee):
    # 100 million pixels that compress to a few kilobytes.
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, format="PNG")

    response = _post(erin_client, picture=_upload(output.getvalue(), "bomb.png", "image/png"))

    assert response.status_code == 200
    assert "The picture has too many pixels." in response.text
    assert not _profile(employee).picture


def test_a_50_mb_upload_gets_a_clear_error(erin_client, employee):
    response = _post(erin_client, picture=_upload(b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024)))

    assert response.status_code == 200
    assert "The picture is larger than 10 MB." in response.text
    assert not _profile(employee).picture


def test_a_replaced_picture_file_is_deleted_after_commit(
    erin_client, employee, django_capture_on_commit_callbacks
):
    _post(erin_client, picture=_upload(_jpeg_with_gps()))
    first = _profile(employee).picture
    storage, first_name = first.storage, first.name

    with django_capture_on_commit_callbacks(execute=True):
        _post(erin_client, picture=_upload(_jpeg_with_gps()))

    assert _profile(employee).picture.name != first_name
    assert not storage.exists(first_name)


def test_removing_the_picture_deletes_its_file(
    erin_client, employee, django_capture_on_commit_callbacks
):
    _post(erin_client, picture=_upload(_jpeg_with_gps()))
    picture = _profile(employee).picture
    storage, name = picture.storage, picture.name

    with django_capture_on_commit_callbacks(execute=True):
        _post(erin_client, remove_picture="on")

    assert not _profile(employee).picture
    assert not storage.exists(name)


def test_name_language_and_optional_fields_are_saved(erin_client, employee, building):
    response = erin_client.post(
        URL,
        {
            "full_name": "Erin de Vries",
            "language": "nl",
            "phone": "+31 20 123 4567",
            "postal_code": "1012 AB",
            "place_of_residence": "Haarlem",
            "default_building": building.pk,
        },
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    profile = _profile(employee)
    assert (employee.full_name, employee.language) == ("Erin de Vries", "nl")
    assert (profile.phone, profile.postal_code, profile.place_of_residence) == (
        "+31 20 123 4567",
        "1012 AB",
        "Haarlem",
    )
    assert profile.default_building == building


def test_a_building_of_another_organization_cannot_be_the_default(
    erin_client, employee, other_organization
):
    foreign = BuildingFactory(organization=other_organization)

    response = _post(erin_client, default_building=foreign.pk)

    assert response.status_code == 200
    assert _profile(employee).default_building is None


def test_only_the_optional_fields_the_organization_asks_for_are_shown(erin_client, organization):
    organization.asks_phone = False
    organization.asks_picture = False
    organization.save()

    response = erin_client.get(URL)

    assert 'name="phone"' not in response.text
    assert 'name="picture"' not in response.text
    assert 'name="postal_code"' in response.text
    assert 'name="place_of_residence"' in response.text


def test_a_field_not_asked_for_is_left_as_it_is(erin_client, employee, organization):
    Profile.objects.filter(user=employee).update(phone="0612345678")
    organization.asks_phone = False
    organization.save()

    _post(erin_client, phone="")

    assert _profile(employee).phone == "0612345678"


def test_own_picture_is_served_to_its_owner(erin_client, employee):
    _post(erin_client, picture=_upload(_jpeg_with_gps()))

    response = erin_client.get(reverse("own_profile_picture"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_own_picture_is_404_without_one(erin_client):
    assert erin_client.get(reverse("own_profile_picture")).status_code == 404


def test_profile_page_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
