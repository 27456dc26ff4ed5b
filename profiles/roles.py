"""What each role may do in admin, as Django permission groups kept in sync with the code."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from profiles.models import Role

_FACILITY_MANAGER = {
    "locations.building": ("view", "add", "change", "delete"),
    "locations.floor": ("view", "add", "change", "delete"),
    "locations.zone": ("view", "add", "change", "delete"),
    "locations.resource": ("view", "add", "change", "delete"),
    "locations.amenity": ("view",),
    "locations.closure": ("view", "add", "change", "delete"),
    "locations.beacon": ("view", "add", "change", "delete"),
    "bookings.booking": ("view",),
    "bookings.checkin": ("view",),
    "bookings.bookingpolicy": ("view", "add", "change", "delete"),
    # The policy's inlines: without these the policy page hides its opening hours.
    "bookings.openinghours": ("view", "add", "change", "delete"),
    "bookings.closedday": ("view", "add", "change", "delete"),
    "profiles.user": ("view", "add", "change"),
}
_ORGANIZATION_ADMIN = {
    **_FACILITY_MANAGER,
    "profiles.organization": ("view", "change"),
    # Adding a domain claims everyone with an address there, so only the platform adds them.
    "profiles.emaildomain": ("view",),
    # The audit log oversees what facility managers do, so they don't read it themselves.
    "profiles.auditentry": ("view",),
}
ROLE_PERMISSIONS = {
    Role.FACILITY_MANAGER: _FACILITY_MANAGER,
    Role.ORGANIZATION_ADMIN: _ORGANIZATION_ADMIN,
}
GROUP_NAMES = {
    Role.FACILITY_MANAGER: "Facility managers",
    Role.ORGANIZATION_ADMIN: "Organisation admins",
}


def group_for_role(role: str) -> Group | None:
    name = GROUP_NAMES.get(role)
    return Group.objects.get_or_create(name=name)[0] if name else None


def sync_role_groups(sender=None, apps=global_apps, using="default", **kwargs) -> None:
    """Create the role groups and give each exactly the permissions of its role."""
    if not apps.is_installed("profiles"):
        return
    for role, model_permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        wanted = []
        for model_label, actions in model_permissions.items():
            app_label, model_name = model_label.split(".")
            codenames = [f"{action}_{model_name}" for action in actions]
            wanted += Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)
