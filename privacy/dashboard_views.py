"""The facility dashboard: use of a building, read only from the anonymous statistics."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from locations.models import Building, ResourceKind
from privacy.models import BuildingDayStatistic, MobilitySnapshot, MobilityStatistic
from privacy.statistics import K_ANONYMITY, MOBILITY_THRESHOLD, OTHER_AREA
from profiles.models import STAFF_ROLES, Organization

DEFAULT_PERIOD_DAYS = 28
MAX_PERIOD_DAYS = 366
# Utilisation is booked time against a working day of this length per resource.
WORKING_DAY_MINUTES = 8 * 60


class DashboardFilterForm(forms.Form):
    building = forms.ModelChoiceField(queryset=Building.objects.none(), label=_("Building"))
    kind = forms.ChoiceField(
        choices=[(value, capfirst(label)) for value, label in ResourceKind.choices],
        label=_("Kind"),
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Another organisation's building id is not a choice: the form is invalid, nothing shows.
        self.fields["building"].queryset = Building.objects.filter(organization=organization)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return cleaned


@dataclass(frozen=True)
class DayRow:
    date: date
    withheld: bool
    bookings: int = 0
    check_ins: int = 0
    no_show_percent: int = 0
    utilisation_percent: int = 0
    people: int = 0


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _day_row(stat: BuildingDayStatistic) -> DayRow:
    # Every count of the row comes from people's bookings: below k nothing of it is shown.
    if stat.people < K_ANONYMITY:
        return DayRow(date=stat.date, withheld=True)
    return DayRow(
        date=stat.date,
        withheld=False,
        bookings=stat.bookings,
        check_ins=stat.check_ins,
        no_show_percent=_percent(stat.no_shows, stat.bookings),
        utilisation_percent=_percent(stat.booked_minutes, stat.resources * WORKING_DAY_MINUTES),
        people=stat.people,
    )


def _totals(stats: list[BuildingDayStatistic]) -> dict[str, int]:
    shown = [stat for stat in stats if stat.people >= K_ANONYMITY]
    bookings = sum(stat.bookings for stat in shown)
    capacity = sum(stat.resources * WORKING_DAY_MINUTES for stat in shown)
    return {
        "days": len(shown),
        "bookings": bookings,
        "check_ins": sum(stat.check_ins for stat in shown),
        "no_show_percent": _percent(sum(stat.no_shows for stat in shown), bookings),
        "utilisation_percent": _percent(sum(stat.booked_minutes for stat in shown), capacity),
    }


def _latest_mobility(
    *, organization: Organization, building: Building
) -> tuple[MobilitySnapshot | None, list[MobilityStatistic]]:
    snapshot = MobilitySnapshot.objects.filter(organization_id=organization.pk).first()
    if snapshot is None:
        return None, []
    figures = list(snapshot.figures.filter(building_id=building.pk))
    # The largest areas first, "other" last: it is what is left, not an area.
    figures.sort(key=lambda figure: (figure.area == OTHER_AREA, -figure.people, figure.area))
    return snapshot, figures


def _get_staff_organization(request: HttpRequest) -> Organization:
    # Outsiders, employees and superusers without a membership all get the same answer.
    if request.organization is None or request.user.role not in STAFF_ROLES:
        raise Http404
    return request.organization


@require_GET
@login_required
def facility_dashboard(request: HttpRequest) -> HttpResponse:
    organization = _get_staff_organization(request)
    buildings = Building.objects.filter(organization=organization)
    yesterday = timezone.localdate() - timedelta(days=1)
    initial = {
        "building": buildings.values_list("pk", flat=True).first(),
        "kind": ResourceKind.DESK,
        "start": yesterday - timedelta(days=DEFAULT_PERIOD_DAYS - 1),
        "end": yesterday,
    }
    data = {name: request.GET.get(name) or value for name, value in initial.items()}
    form = DashboardFilterForm(data, organization=organization)
    context = {
        "form": form,
        "k": K_ANONYMITY,
        "mobility_threshold": MOBILITY_THRESHOLD,
        "working_hours": WORKING_DAY_MINUTES // 60,
    }
    if form.is_valid():
        building = form.cleaned_data["building"]
        stats = list(
            BuildingDayStatistic.objects.filter(
                organization_id=organization.pk,
                building_id=building.pk,
                resource_kind=form.cleaned_data["kind"],
                date__range=(form.cleaned_data["start"], form.cleaned_data["end"]),
            ).order_by("date")
        )
        snapshot, mobility = _latest_mobility(organization=organization, building=building)
        context |= {
            "building": building,
            "rows": [_day_row(stat) for stat in stats],
            "totals": _totals(stats),
            "mobility_snapshot": snapshot,
            "mobility": mobility,
        }
    return render(request, "privacy/dashboard.html", context)
