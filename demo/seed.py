"""Fill the database with the demo: two organisations, their buildings, people and bookings.

Safe to run again: see `demo.places` and `demo.schedule` for how each part avoids duplicates.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from demo.history import seed_history
from demo.organizations import DEMO_ORGANIZATIONS, OrganizationSpec
from demo.people import DEMO_PASSWORD, ensure_people, ensure_superuser
from demo.places import ensure_building, ensure_organization, ensure_policies
from demo.schedule import seed_bookings
from privacy.tasks import aggregate_statistics
from profiles.models import EmailDomain, Organization


@dataclass
class SeedResult:
    # Past bookings played out, by organisation name; only on a first run.
    played: dict[str, int] = field(default_factory=dict)
    added: int = 0
    refused: int = 0
    days_counted: int = 0


def other_organizations() -> QuerySet[Organization]:
    """Return the organisations the demo did not create: real tenants, by all signs.

    An organisation is the demo's own only if it has a demo slug and no e-mail domain but the
    demo's (reserved `.example` names): a real "acme" with a real domain counts as real.
    """
    slugs = [spec.slug for spec in DEMO_ORGANIZATIONS]
    domains = [spec.domain for spec in DEMO_ORGANIZATIONS]
    real_domain = EmailDomain.objects.filter(organization=OuterRef("pk")).exclude(
        domain__in=domains
    )
    return Organization.objects.filter(~Q(slug__in=slugs) | Exists(real_domain))


def seed_demo(*, now: datetime) -> SeedResult:
    """Create or refresh the demo organisations, their history and the coming two weeks."""
    # Django hashes a password in about 0.3 s; every demo login shares one, so hash once.
    password_hash = make_password(DEMO_PASSWORD)
    result = SeedResult()
    for spec in DEMO_ORGANIZATIONS:
        with transaction.atomic():
            organization = seed_organization(spec, now=now, password_hash=password_hash)
        # Outside that transaction: each past booking commits on its own, so its e-mails
        # are handled (and swallowed) while seed_history says so.
        played = seed_history(spec, organization, now=now)
        with transaction.atomic():
            ledger = seed_bookings(spec, organization, now=now)
        result.added += ledger.added
        result.refused += ledger.refused
        if played:
            result.played[spec.name] = played
    ensure_superuser(password_hash)
    # Count the past days into the anonymous statistics the dashboard reads.
    result.days_counted = aggregate_statistics(now=now)
    return result


def seed_organization(spec: OrganizationSpec, *, now: datetime, password_hash: str) -> Organization:
    organization = ensure_organization(spec, today=now.date())
    buildings = {b.name: ensure_building(organization, b) for b in spec.buildings}
    ensure_policies(organization, spec.buildings, buildings)
    ensure_people(organization, spec.people, buildings, password_hash=password_hash)
    # They are not in the list of demo logins, so they cannot log in.
    ensure_people(organization, spec.quiet_people, buildings, password_hash=make_password(None))
    return organization
