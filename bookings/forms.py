from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bookings.policies import effective_policy
from bookings.selectors import (
    Search,
    buildings_for,
    floors_for,
    next_bookable_period,
    preset_period,
)
from bookings.widgets import FastCheckboxes, FastSelect
from locations.models import Amenity, Building, Floor, Resource, ResourceKind, Zone
from profiles.models import Organization, User

# Bookings lie at most a year ahead (BookingPolicy.max_days_ahead), so a day further away in
# either direction is a typo or a probe; at the calendar's edges (9999-12-31 until 00:00, year 1
# at midnight east of UTC) the period would not even fit in a datetime (OverflowError).
MAX_DAYS_AWAY = 2 * 366


def validate_day_in_reach(day: date) -> None:
    if abs((day - timezone.localdate()).days) > MAX_DAYS_AWAY:
        raise ValidationError(_("Choose a date within two years of today."), code="out_of_reach")


PRESETS = [("day", _("Full day")), ("morning", _("Morning")), ("afternoon", _("Afternoon"))]


def local_period(
    building: Building, day: date, start: time, end: time
) -> tuple[datetime, datetime]:
    """Return the aware period of local wall-clock times; an end of 00:00 means midnight."""
    tz = building.tz
    start_at = datetime.combine(day, start, tzinfo=tz)
    end_day = day + timedelta(days=1) if end == time(0) else day
    return start_at, datetime.combine(end_day, end, tzinfo=tz)


class NameChoiceField(forms.ModelChoiceField):
    """Label floors and zones by their own name: the building and floor are chosen beside them."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class FindForm(forms.Form):
    """The filters of the find page. Every field is optional: the defaults fill the gaps."""

    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day_in_reach],
    )
    start = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    preset = forms.ChoiceField(choices=PRESETS, required=False)
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[(value, capfirst(label)) for value, label in ResourceKind.choices],
        required=False,
        widget=FastSelect,
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=None,
        widget=FastSelect,
    )
    floor = NameChoiceField(
        label=_("Floor"),
        queryset=Floor.objects.none(),
        required=False,
        empty_label=None,
        widget=FastSelect,
    )
    zone = NameChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.none(),
        required=False,
        empty_label=_("Any zone"),
        widget=FastSelect,
    )
    amenities = forms.ModelMultipleChoiceField(
        label=_("Must have"),
        queryset=Amenity.objects.order_by("name"),
        required=False,
        widget=FastCheckboxes,
    )
    capacity = forms.IntegerField(label=_("People"), required=False, min_value=1, max_value=100)

    def __init__(self, data, *, organization: Organization, user: User):
        super().__init__(data)
        self.organization, self.user = organization, user
        self.fields["building"].queryset = buildings_for(organization)
        # Validated against the whole organisation; search() narrows them for display.
        self.fields["floor"].queryset = Floor.objects.for_organization(organization)
        self.fields["zone"].queryset = Zone.objects.for_organization(organization)

    def search(self, *, now: datetime | None = None) -> Search | None:
        """Return the search these filters describe, filling what is missing with defaults.

        None when the organisation has no building with a floor yet.
        """
        now = now or timezone.now()
        data = {}
        if self.is_bound:
            # Keep every filter that is valid, even when another one isn't.
            self.is_valid()
            data = self.cleaned_data
        building = data.get("building") or self._default_building()
        if building is None:
            return None
        floors = floors_for(building)
        self.fields["floor"].queryset = floors
        floor = data.get("floor")
        if floor is None or floor.building_id != building.pk:
            floor = floors.first()
        if floor is None:
            return None
        self.fields["zone"].queryset = Zone.objects.filter(floor=floor).order_by("name")
        zone = data.get("zone") if data.get("zone") and data["zone"].floor_id == floor.pk else None
        kind = data.get("kind") or ResourceKind.DESK
        policy = effective_policy(organization=self.organization, building=building, kind=kind)
        tz = building.tz
        next_period = next_bookable_period(policy, tz, now)
        day = data.get("date") or (
            timezone.localtime(next_period[0], tz).date() if next_period else timezone.localdate()
        )
        preset = data.get("preset")
        if data.get("start") and data.get("end") and not preset:
            start, end = local_period(building, day, data["start"], data["end"])
        elif not preset and next_period and timezone.localtime(next_period[0], tz).date() == day:
            start, end = next_period
        else:
            period = preset_period(policy, day, tz, preset or "day")
            start, end = period or _working_day(day, tz)
        if end <= start:
            end = start + timedelta(minutes=policy.min_duration_minutes)
        search = Search(
            building=building,
            floor=floor,
            day=day,
            start=start,
            end=end,
            kind=kind,
            zone=zone,
            amenities=tuple(data.get("amenities") or ()),
            min_capacity=data.get("capacity") or 1,
        )
        self._show(search)
        return search

    def _default_building(self) -> Building | None:
        profile = getattr(self.user, "profile", None)
        default = profile.default_building if profile else None
        if default is not None and default.organization_id == self.organization.pk:
            return default
        return self.fields["building"].queryset.first()

    def _show(self, search: Search) -> None:
        """Make the rendered form show the values actually searched, defaults included."""
        tz = search.building.tz
        # A bound form renders its data, an unbound one its initial values: set both.
        self.data = self.initial = {
            "date": search.day.isoformat(),
            "start": timezone.localtime(search.start, tz).strftime("%H:%M"),
            "end": timezone.localtime(search.end, tz).strftime("%H:%M"),
            "kind": search.kind,
            "building": search.building.pk,
            "floor": search.floor.pk,
            "zone": search.zone.pk if search.zone else "",
            "amenities": [a.pk for a in search.amenities],
            "capacity": search.min_capacity if search.min_capacity > 1 else "",
        }


def _working_day(day: date, tz) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(8), tzinfo=tz), datetime.combine(day, time(18), tzinfo=tz)


class BookForm(forms.Form):
    """Confirm one resource for one or more days, at the same local times each day."""

    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        coerce=date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)
    for_user = forms.ModelChoiceField(
        label=_("Book for"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(
        self,
        *args,
        resource: Resource,
        user: User,
        days: list[date],
        may_book_for_others: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["days"].choices = [
            (day.isoformat(), formats.date_format(day, "D j M")) for day in days
        ]
        for name in ("start", "end"):
            self.fields[name].widget.attrs["step"] = 60 * 15
        if may_book_for_others:
            self.fields["for_user"].queryset = (
                User.objects.for_organization(resource.organization)
                .filter(is_active=True)
                .order_by("full_name", "email")
            )
        else:
            del self.fields["for_user"]

    def clean_days(self) -> list[date]:
        # The dialog offers the searched day even beyond the horizon, so a day comes from the
        # URL: check it like any typed date.
        days = self.cleaned_data["days"]
        for day in days:
            validate_day_in_reach(day)
        return days

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start and end != time(0):
            self.add_error("end", _("The end must be after the start."))
        return cleaned

    def periods(self) -> list[tuple[date, datetime, datetime]]:
        building = self.resource.floor.building
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        return [
            (day, *local_period(building, day, start, end))
            for day in sorted(self.cleaned_data["days"])
        ]


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("The person gets an e-mail with what you changed and this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    """Cancel a booking; staff cancelling someone else's give a reason the person is told."""

    def __init__(self, *args, needs_reason: bool, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"] = _reason_field()


class ChangeForm(forms.Form):
    """Move an upcoming booking to another day, other times or another place of its kind.

    Staff moving someone else's booking also give a reason the person is told.
    """

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day_in_reach],
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    resource = forms.ModelChoiceField(label=_("Place"), queryset=Resource.objects.none())

    def __init__(self, *args, booking, needs_reason: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "change_%s")
        super().__init__(*args, **kwargs)
        self.booking = booking
        if needs_reason:
            self.fields["reason"] = _reason_field()
        self.fields["resource"].queryset = (
            Resource.objects.filter(
                organization_id=booking.organization_id,
                floor__building=booking.resource.floor.building,
                kind=booking.resource_kind,
                is_active=True,
            )
            .select_related("floor")
            .order_by("floor__level", "code")
        )
        self.fields["resource"].label_from_instance = lambda r: f"{r} · {r.floor.name}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start and end != time(0):
            self.add_error("end", _("The end must be after the start."))
        return cleaned

    def period(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return local_period(
            data["resource"].floor.building, data["date"], data["start"], data["end"]
        )
