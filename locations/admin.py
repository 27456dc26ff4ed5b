from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from locations.models import Amenity, Beacon, Building, Closure, Floor, Resource, Zone
from locations.services import rotate_checkin_token, save_closure
from profiles.admin_scoping import OrganizationScopedAdmin, ScopedTabularInline


class FloorInline(ScopedTabularInline):
    model = Floor
    fields = ["name", "level"]
    extra = 0
    show_change_link = True


@admin.register(Building)
class BuildingAdmin(OrganizationScopedAdmin):
    list_display = ["name", "city", "country", "time_zone"]
    list_filter = ["country", "time_zone"]
    search_fields = ["name", "city", "street"]
    inlines = [FloorInline]


class ZoneInline(ScopedTabularInline):
    model = Zone
    extra = 0


class _PrivatePlan:
    """A stored plan as the file widget shows it, linked to the view that checks the viewer."""

    def __init__(self, file, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class FloorPlanWidget(AdminFileWidget):
    def format_value(self, value):
        instance = getattr(value, "instance", None)
        if value and instance is not None and instance.pk:
            url = reverse("locations:floor_plan_image", args=[instance.pk])
            return _PrivatePlan(value, url)
        return super().format_value(value)


@admin.register(Floor)
class FloorAdmin(OrganizationScopedAdmin):
    list_display = ["name", "building", "level", "resource_count"]
    list_filter = ["building"]
    search_fields = ["name", "building__name"]
    autocomplete_fields = ["building"]
    readonly_fields = ["plan_preview"]
    inlines = [ZoneInline]
    formfield_overrides = {models.ImageField: {"widget": FloorPlanWidget}}

    @admin.display(description=_("plan preview"))
    def plan_preview(self, floor: Floor) -> str:
        if not floor.pk or not floor.plan_image:
            return "—"
        url = reverse("locations:floor_plan_image", args=[floor.pk])
        return format_html('<img src="{}" alt="" class="plan-preview" width="600">', url)

    @admin.display(description=_("resources"))
    def resource_count(self, floor: Floor) -> int:
        return floor.resources.count()


@admin.register(Zone)
class ZoneAdmin(OrganizationScopedAdmin):
    list_display = ["name", "floor"]
    list_filter = ["floor__building", "floor"]
    search_fields = ["name", "floor__name"]
    autocomplete_fields = ["floor"]


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Resource)
class ResourceAdmin(OrganizationScopedAdmin):
    list_display = ["code", "name", "kind", "floor", "zone", "capacity", "is_active"]
    list_filter = ["kind", "is_active", "floor__building", "floor", "zone", "amenities"]
    list_select_related = ["floor__building", "zone__floor__building"]
    search_fields = ["code", "name", "floor__name", "floor__building__name"]
    autocomplete_fields = ["floor", "zone"]
    filter_horizontal = ["amenities"]
    actions = ["make_active", "make_inactive", "rotate_tokens"]

    @admin.action(description=_("Make the selected resources bookable"), permissions=["change"])
    def make_active(self, request, queryset):
        count = queryset.update(is_active=True)
        messages.success(
            request,
            ngettext("%d resource is bookable.", "%d resources are bookable.", count) % count,
        )

    @admin.action(description=_("Make the selected resources unbookable"), permissions=["change"])
    def make_inactive(self, request, queryset):
        count = queryset.update(is_active=False)
        messages.success(
            request,
            ngettext(
                "%d resource is no longer bookable.", "%d resources are no longer bookable.", count
            )
            % count,
        )

    @admin.action(
        description=_("Issue new QR check-in codes (old ones stop working)"), permissions=["change"]
    )
    def rotate_tokens(self, request, queryset):
        for resource in queryset:
            rotate_checkin_token(resource=resource)
        count = len(queryset)
        messages.success(
            request,
            ngettext(
                "%d resource has a new check-in code.",
                "%d resources have new check-in codes.",
                count,
            )
            % count,
        )


@admin.register(Closure)
class ClosureAdmin(OrganizationScopedAdmin):
    list_display = ["target_display", "start", "end", "reason"]
    list_filter = ["building", "floor"]
    search_fields = ["reason", "resource__code", "floor__name", "building__name"]
    autocomplete_fields = ["building", "floor", "resource"]
    date_hierarchy = "start"

    @admin.display(description=_("closed"))
    def target_display(self, closure: Closure) -> str:
        return str(closure.target)

    def save_model(self, request, obj, form, change):
        # Through the service: it cancels the bookings the closure covers and tells the people.
        try:
            save_closure(closure=obj)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))


@admin.register(Beacon)
class BeaconAdmin(OrganizationScopedAdmin):
    list_display = ["resource", "uuid", "major", "minor"]
    list_filter = ["resource__floor__building", "resource__floor"]
    search_fields = ["resource__code", "uuid"]
    autocomplete_fields = ["resource"]
