"""Every model that points to a person is covered by export and by erasure."""

from django.apps import apps
from django.contrib.auth import get_user_model

from privacy.erasure import ERASERS

# Rows that hold a person without a foreign key: the admin log names them in object_id, and
# a server-side session holds their id in its encoded data.
WITHOUT_FOREIGN_KEY = {"admin.logentry", "sessions.session"}


def _models_that_point_to_a_person() -> set[str]:
    user_model = get_user_model()
    labels = {user_model._meta.label_lower}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                labels.add(model._meta.label_lower)
    return labels | WITHOUT_FOREIGN_KEY


def test_every_model_that_points_to_a_person_is_erased():
    missing = _models_that_point_to_a_person() - set(ERASERS)
    assert not missing, f"not covered by erasure: {sorted(missing)}"


def test_every_model_that_points_to_a_person_is_exported():
    from privacy.export import EXPORTERS

    missing = _models_that_point_to_a_person() - set(EXPORTERS)
    assert not missing, f"not covered by export: {sorted(missing)}"


def test_the_list_sees_the_models_we_know_of():
    # Guards the enumeration itself: if it found nothing, the tests above would pass.
    assert {
        "bookings.booking",
        "bookings.checkin",
        "profiles.profile",
        "admin.logentry",
        "account.emailaddress",
    } <= _models_that_point_to_a_person()
