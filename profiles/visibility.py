"""The one place that answers "may A see B's name, presence or search hit".

Each answer combines the organisation's setting with the person's own; the stricter wins.
People of different organisations never see each other. Every page that shows a person asks
here, so a privacy setting changes every page at once.
"""

from collections.abc import Iterable

from profiles.models import Organization, Profile, User, display_name_of


def _same_organization(viewer: User, person: User) -> bool:
    viewer_org = viewer.organization
    return viewer_org is not None and viewer_org == person.organization


def _profile(person: User) -> Profile | None:
    try:
        return person.profile
    except Profile.DoesNotExist:
        return None


def may_find(viewer: User, person: User) -> bool:
    """Return whether `person` may appear in `viewer`'s colleague search."""
    if viewer.pk == person.pk:
        return True
    if not _same_organization(viewer, person):
        return False
    profile = _profile(person)
    return bool(viewer.organization.colleague_search_enabled and profile and profile.findable)


def may_see_name_on_plan(viewer: User, person: User) -> bool:
    """Return whether `viewer` may see `person`'s name on a booked resource."""
    if viewer.pk == person.pk:
        return True
    if not _same_organization(viewer, person):
        return False
    profile = _profile(person)
    return bool(viewer.organization.names_on_plans and profile and profile.name_on_plans)


def names_on_plan(viewer: User, person_ids: Iterable[int]) -> dict[int, str]:
    """Return the names `viewer` may see on a plan, by person id, for many people at once.

    The same rule as may_see_name_on_plan(), in one query for a whole floor.
    """
    ids = set(person_ids)
    names = {viewer.pk: viewer.display_name} if viewer.pk in ids else {}
    organization = viewer.organization
    if organization is None or not organization.names_on_plans:
        return names
    visible = (
        User.objects.filter(
            pk__in=ids - {viewer.pk},
            membership__organization=organization,
            profile__name_on_plans=True,
        )
        .order_by()
        .values_list("pk", "full_name", "email")
    )
    for pk, full_name, email in visible:
        names[pk] = display_name_of(full_name=full_name, email=email)
    return names


def may_see_presence(viewer: User, person: User, *, shared_at_check_in: bool) -> bool:
    """Return whether `viewer` may see where `person` is checked in.

    `shared_at_check_in` is the choice the person made when checking in.
    """
    if viewer.pk == person.pk:
        return True
    if not _same_organization(viewer, person):
        return False
    return bool(viewer.organization.presence_sharing_allowed and shared_at_check_in)


def may_offer_presence_sharing(person: User) -> bool:
    """Return whether the check-in page may offer `person` to share where they are."""
    organization = person.organization
    return bool(organization and organization.presence_sharing_allowed)


def share_presence_default(person: User) -> bool:
    """Return the initial state of the "share where I am" choice at check-in."""
    profile = _profile(person)
    return may_offer_presence_sharing(person) and bool(
        profile and profile.share_presence_by_default
    )


def organization_allows(organization: Organization | None) -> dict[str, bool]:
    """Return, per personal privacy switch, whether the organisation lets it take effect.

    The keys are the Profile fields; a switch the organisation forbids stays off for
    everyone, whatever the person chooses.
    """
    if organization is None:
        return {"findable": False, "name_on_plans": False, "share_presence_by_default": False}
    return {
        "findable": organization.colleague_search_enabled,
        "name_on_plans": organization.names_on_plans,
        "share_presence_by_default": organization.presence_sharing_allowed,
    }


def may_see_attendance_of_people(viewer: User) -> bool:
    """Return whether admin may show `viewer` who booked or checked in.

    In strict mode the organisation's staff see only aggregate numbers.
    """
    if viewer.is_superuser:
        return True
    organization = viewer.organization
    return organization is not None and not organization.strict_mode
