"""The demo's people: members with their privacy choices and home areas, and the superuser."""

import random

from allauth.account.models import EmailAddress
from django.db import transaction

from demo.organizations import Person
from locations.models import Building
from profiles.models import Organization, User
from profiles.services import create_member

# Printed at the end of every run: demo data only, never a real account.
DEMO_PASSWORD = "demo-desk-booking"  # noqa: S105
SUPERUSER_EMAIL = "admin@officebooking.test"

# (findable, name on plans, share presence by default)
PRIVACY = {
    "open": (True, True, True),
    "findable": (True, False, False),
    "private": (False, False, False),
}


def ensure_people(
    organization: Organization,
    people: tuple[Person, ...],
    buildings: dict[str, Building],
    *,
    password_hash: str,
) -> None:
    emails = [person.email for person in people]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for person in people:
        if person.email in existing:
            continue
        user = create_member(
            organization=organization,
            email=person.email,
            full_name=person.name,
            role=person.role,
            email_verified=True,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        set_privacy(user, person, buildings)


# Where demo people live, with weights: enough in a few areas to show in the mobility figures
# (k = 5), and a scattering that is merged into "other".
POSTAL_CODES = {
    "Amsterdam HQ": [("1011 AB", 6), ("1071 KL", 3), ("1093 TR", 1), ("2011 HP", 1)],
    "New York": [("10001", 5), ("11201", 3), ("07302", 2)],
    "Globex House": [("SW1A 1AA", 3), ("E1 6AN", 2)],
}


def demo_postal_code(person: Person) -> str:
    codes = POSTAL_CODES.get(person.home, [])
    if not codes:
        return ""
    values, weights = zip(*codes, strict=True)
    return random.Random(f"home/{person.email}").choices(values, weights=weights)[0]


def set_privacy(user: User, person: Person, buildings: dict[str, Building]) -> None:
    profile = user.profile
    profile.postal_code = demo_postal_code(person)
    findable, name_on_plans, share_presence = PRIVACY[person.privacy]
    profile.findable = findable
    profile.name_on_plans = name_on_plans
    profile.share_presence_by_default = share_presence
    profile.default_building = buildings[person.home] if person.default_building else None
    profile.save(
        update_fields=[
            "postal_code",
            "findable",
            "name_on_plans",
            "share_presence_by_default",
            "default_building",
        ]
    )


def ensure_superuser(password_hash: str) -> None:
    if User.objects.filter(email__iexact=SUPERUSER_EMAIL).exists():
        return
    with transaction.atomic():
        user = User.objects.create_superuser(SUPERUSER_EMAIL, full_name="Platform admin")
        user.password = password_hash
        user.save(update_fields=["password"])
        # Log-in needs a verified address (mandatory verification), as for everyone else.
        EmailAddress.objects.create(user=user, email=SUPERUSER_EMAIL, primary=True, verified=True)
