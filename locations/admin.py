from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from locations.models import Amenity, Beacon, Building, Closure, Floor, Resource, Zone
from locations.qr import checkin_url, qr_png, qr_svg, svg_data_uri
from locations.services import (
    rotate_checkin_token,
    save_closure,
    save_floor,
    save_resource,
    set_resources_bookable,
)
from profiles.admin_scoping import OrganizationScopedAdmin, ScopedTabularInline, scope_queryset

# Three across, four down: labels of 63 × 69 mm on A4, big enough to scan from a chair.
LABELS_PER_PAGE = 12


def _qr_sheet(request: HttpRequest, resources, *, title: str) -> HttpResponse:
    """Render the printable A4 sheet of check-in labels for `resources` (already scoped)."""
    resources = list(resources.select_related("floor__building").order_by("floor", "code"))
    labels = [
        {
            "resource": resource,
            "qr": svg_data_uri(qr_svg(checkin_url(resource))),
            "svg_url": reverse("admin:locations_resource_qr_svg", args=[resource.pk]),
            "png_url": reverse("admin:locations_resource_qr_png", args=[resource.pk]),
        }
        for resource in resources
    ]
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    context = {
        "title": title,
        "pages": pages,
        "label_count": len(labels),
        # The changelist the action was posted from, with its filters.
        "back_url": request.get_full_path(),
    }
    return render(request, "admin/locations/qr_sheet.html", context)


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
    actions = ["print_qr_codes"]

    @admin.action(description=_("Print QR codes of the whole floor"), permissions=["view"])
    def print_qr_codes(self, request, queryset):
        # Scoped twice over: the floors come from get_queryset(), their resources are filtered
        # by organisation too.
        resources = scope_queryset(Resource.objects.filter(floor__in=queryset), request)
        return _qr_sheet(request, resources, title=gettext("Check-in QR codes by floor"))

    def save_model(self, request, obj, form, change):
        # Through the service: it deletes a replaced plan's file once the change commits.
        save_floor(floor=obj)

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
    readonly_fields = ["qr_code"]
    actions = ["make_active", "make_inactive", "print_qr_codes", "rotate_tokens"]

    def save_model(self, request, obj, form, change):
        # Through the service: unticking "active" is logged as the "make unbookable" action is.
        save_resource(resource=obj, actor=request.user)

    def get_urls(self):
        # Before the inherited patterns: their "<object_id>/" catch-all would take these.
        qr_urls = [
            path(
                "<path:object_id>/qr.svg",
                self.admin_site.admin_view(self.qr_svg_view),
                name="locations_resource_qr_svg",
            ),
            path(
                "<path:object_id>/qr.png",
                self.admin_site.admin_view(self.qr_png_view),
                name="locations_resource_qr_png",
            ),
        ]
        return qr_urls + super().get_urls()

    def _get_resource_for_qr(self, request, object_id: str) -> Resource:
        # get_object() reads through the scoped queryset: another organisation's resource
        # is missing here, exactly like one that doesn't exist.
        resource = self.get_object(request, unquote(object_id))
        if resource is None:
            raise Http404
        if not self.has_view_permission(request, resource):
            raise PermissionDenied
        return resource

    def _qr_download(self, resource: Resource, content, content_type: str, extension: str):
        building = resource.floor.building
        name = slugify(f"{building.name} {resource.floor.name} {resource.code}") or "resource"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"checkin-{name}.{extension}"
        )
        return response

    def qr_svg_view(self, request, object_id):
        resource = self._get_resource_for_qr(request, object_id)
        return self._qr_download(resource, qr_svg(checkin_url(resource)), "image/svg+xml", "svg")

    def qr_png_view(self, request, object_id):
        resource = self._get_resource_for_qr(request, object_id)
        return self._qr_download(resource, qr_png(checkin_url(resource)), "image/png", "png")

    @admin.display(description=_("QR code"))
    def qr_code(self, resource: Resource) -> str:
        if not resource.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="" class="qr-preview" width="160" height="160"><br>'
            '<a href="{}" download>{}</a> · <a href="{}" download>{}</a>',
            svg_data_uri(qr_svg(checkin_url(resource))),
            reverse("admin:locations_resource_qr_svg", args=[resource.pk]),
            gettext("Download SVG (print)"),
            reverse("admin:locations_resource_qr_png", args=[resource.pk]),
            gettext("Download PNG"),
        )

    @admin.action(description=_("Print QR codes"), permissions=["view"])
    def print_qr_codes(self, request, queryset):
        return _qr_sheet(request, queryset, title=gettext("Check-in QR codes"))

    @admin.action(description=_("Make the selected resources bookable"), permissions=["change"])
    def make_active(self, request, queryset):
        resources = queryset.select_related("floor__building")
        count = set_resources_bookable(resources=resources, is_active=True, actor=request.user)
        messages.success(
            request,
            ngettext("%d resource is bookable.", "%d resources are bookable.", count) % count,
        )

    @admin.action(description=_("Make the selected resources unbookable"), permissions=["change"])
    def make_inactive(self, request, queryset):
        resources = queryset.select_related("floor__building")
        count = set_resources_bookable(resources=resources, is_active=False, actor=request.user)
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
        resources = list(queryset.select_related("floor__building"))
        for resource in resources:
            rotate_checkin_token(resource=resource, actor=request.user)
        count = len(resources)
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
            save_closure(closure=obj, actor=request.user)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))


@admin.register(Beacon)
class BeaconAdmin(OrganizationScopedAdmin):
    list_display = ["resource", "uuid", "major", "minor"]
    list_filter = ["resource__floor__building", "resource__floor"]
    search_fields = ["resource__code", "uuid"]
    autocomplete_fields = ["resource"]
