"""Admin scoped to the facility manager's own organisation, in one place.

Every admin class of a tenant-owned model derives from `OrganizationScopedAdmin` (inlines from
`OrganizationScopedInline`). Lists, change, history and delete pages, actions and autocomplete
all start from `get_queryset()`, so an object of another organisation is answered exactly like
a missing one. Foreign-key and many-to-many choices and list filters are narrowed the same way,
and `organization` is set from the request, never chosen, except by superusers.

Opening one person's record (change, history or delete page) is announced with the
`person_record_opened` signal, so the person can see that someone of staff looked.

A list page is announced with `people_listed`, once for each person on the page shown, when it
was narrowed by something that can single a person out: a search term (free text, it may be a
name), or a filter whose path ends at a person (`user`, `booked_by__id__exact`,
`booking__user`, `user__email`; on the people list itself their id, e-mail or name). A plain
list, another page of it, or one filtered by status, building, date or role is not aimed at
anyone and records nothing: announcing it would log everyone on every page view, and bury
the accesses that matter. Where strict mode hides the people of a list, nobody was shown and
nothing is recorded.

Strict mode (the works-council preset) is enforced here too, for every admin page at once:
staff of a strict organisation see presence (bookings, check-ins, favourites) only as totals.
A presence model's person columns, fields, filters, search fields and ordering are left out,
and any query-string lookup that joins presence to a person, in either direction
(`?user__id__exact=5` on bookings, `?bookings=12` on people), is refused with a 400
("Filtering by ... not allowed"), the answer Django gives to any lookup it does not allow.
Refusing rather than ignoring the lookup means a list is never shown under a URL that claims a
filter it did not apply, and the attempt lands in the `django.security` log.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from profiles.models import Organization, Profile, User
from profiles.signals import people_listed, person_record_opened
from profiles.visibility import may_see_attendance_of_people

# Rows that say where and when a person was, or likes to be, by model label (data, not
# imports: profiles sits below bookings). In strict mode no admin page may tie one of them to
# a person.
PRESENCE_MODELS = frozenset({"bookings.booking", "bookings.checkin", "bookings.favoriteresource"})
# Relations that tie a row retelling someone's presence to that person, as (model label, field
# name): an audit entry names the booking it changed (place, local period) and whom it was
# about. Its staff member (`actor`) is not such a relation: admins oversee staff by it.
PRESENCE_PERSON_FIELDS = frozenset({("profiles.auditentry", "subject")})


def organization_filter(model: type[models.Model], organization: Organization) -> Q | None:
    """Return the filter that keeps `model`'s rows of `organization`, or None for shared data."""
    if model is Organization:
        return Q(pk=organization.pk)
    if issubclass(model, User):
        return Q(membership__organization=organization)
    if model is Profile:
        return Q(user__membership__organization=organization)
    field_names = {field.name for field in model._meta.get_fields()}
    if "organization" in field_names:
        return Q(organization=organization)
    if "policy" in field_names:
        return Q(policy__organization=organization)
    return None


def scope_queryset(queryset: models.QuerySet, request: HttpRequest) -> models.QuerySet:
    if request.user.is_superuser:
        return queryset
    organization = getattr(request, "organization", None)
    if organization is None:
        return queryset.none()
    condition = organization_filter(queryset.model, organization)
    return queryset if condition is None else queryset.filter(condition)


def _is_relation_filter(model: type[models.Model], path: str) -> bool:
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if not field.is_relation:
            return False
        model = field.related_model
    return field is not None and field.is_relation


def _relations_on_path(model: type[models.Model], path: str) -> list[models.Field]:
    """Return the relations a lookup path follows, in order.

    `user`, `user_id`, `user__id__exact` and `user__email` all follow `user` (get_field knows
    a foreign key by its column name too); the first part that is not a relation (a field, a
    transform, `pk`) ends the walk.
    """
    relations = []
    for part in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break
        relations.append(field)
        model = field.related_model
    return relations


def _models_on_path(model: type[models.Model], path: str) -> list[type[models.Model]]:
    """Return the models a lookup path passes through, `model` first."""
    return [model, *(field.related_model for field in _relations_on_path(model, path))]


def presence_person_field(field) -> tuple[str, str]:
    """Return the relation as (model label, field name) of its forward side, either way round."""
    if field.concrete:
        return field.model._meta.label_lower, field.name
    return field.related_model._meta.label_lower, field.remote_field.name


# A filter on these fields of a person picks that person out; is_active or a role does not.
PERSON_IDENTITY_FIELDS = frozenset({"id", "pk", "email", "full_name"})


def picks_person(model: type[models.Model], lookup: str) -> bool:
    """Return whether filtering `model` by `lookup` can single out one person."""
    passed = _models_on_path(model, lookup)
    if not issubclass(passed[-1], User):
        return False
    return len(passed) > 1 or lookup.split(LOOKUP_SEP)[0] in PERSON_IDENTITY_FIELDS


def ties_presence_to_person(model: type[models.Model], path: str) -> bool:
    """Return whether the lookup `path` from `model` joins presence data to a person."""
    path = path.lstrip("-^=@")
    relations = _relations_on_path(model, path)
    if any(presence_person_field(field) in PRESENCE_PERSON_FIELDS for field in relations):
        return True
    passed = _models_on_path(model, path)
    return any(issubclass(m, User) for m in passed) and any(
        m._meta.label_lower in PRESENCE_MODELS for m in passed
    )


def _column_paths(model_admin: admin.ModelAdmin, column) -> list[str]:
    # A column is a field path, or a method or property whose `admin_order_field` says what
    # clicking its header (?o=) sorts by.
    paths = [column] if isinstance(column, str) else []
    attr = column if callable(column) else None
    if isinstance(column, str):
        attr = getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
    attr = getattr(attr, "fget", attr)
    order_field = getattr(attr, "admin_order_field", None)
    if isinstance(order_field, str):
        paths.append(order_field)
    return paths


class _ScopedFormMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = scope_queryset(
            kwargs.get("queryset", db_field.remote_field.model._default_manager.all()), request
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = scope_queryset(
            kwargs.get("queryset", db_field.remote_field.model._default_manager.all()), request
        )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser and _has_organization_field(self.model):
            exclude.append("organization")
        return exclude

    def _with_organization(self, form_class, request):
        """Return a form class whose new instances already belong to the request's organisation.

        The model's clean() compares organisations, and ModelForm validates before save_model
        runs, so the organisation must be on the instance from the start.
        """
        if request.user.is_superuser or not _has_organization_field(self.model):
            return form_class
        organization = request.organization

        class ScopedForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.organization_id is None:
                    self.instance.organization = organization

            def _get_validation_exclusions(self):
                # ModelForm skips constraints on fields it doesn't show, so a building name
                # taken in the organisation would reach the database as an IntegrityError.
                exclude = super()._get_validation_exclusions()
                exclude.discard("organization")
                return exclude

        ScopedForm.__name__ = form_class.__name__
        return ScopedForm


def _has_organization_field(model: type[models.Model]) -> bool:
    return any(field.name == "organization" for field in model._meta.concrete_fields)


class OrganizationScopedAdmin(_ScopedFormMixin, admin.ModelAdmin):
    # What kind of record of a person this admin shows ("account", "booking"), for the
    # person's "who looked at my data" log; only used where person_of() finds someone.
    person_record = ""

    def person_of(self, obj: models.Model) -> User | None:
        """Return the person `obj` is a record of, or None when it is nobody's."""
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self._person_opened(request, object_id)
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._announce_opened(request, person, response)

    def history_view(self, request, object_id, extra_context=None):
        person = self._person_opened(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        return self._announce_opened(request, person, response)

    def delete_view(self, request, object_id, extra_context=None):
        # Looked up before: after a confirmed delete the row is gone.
        person = self._person_opened(request, object_id)
        response = super().delete_view(request, object_id, extra_context)
        return self._announce_opened(request, person, response)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and response.status_code < 400:
            self._announce_listed(request, changelist)
        return response

    def _announce_listed(self, request: HttpRequest, changelist, rows=None) -> None:
        """Announce the people in `rows` (by default the page shown) of a narrowed list."""
        if not self.person_record or not self._narrowed_to_people(request, changelist):
            return
        if self._hides_people(request) and self.model._meta.label_lower in PRESENCE_MODELS:
            return
        # By default the page shown, not the whole result: the same rows the template is about
        # to render (the queryset caches them, so this costs no second query). A download of
        # the list passes every row it holds.
        people = {}
        for obj in changelist.result_list if rows is None else rows:
            person = self.person_of(obj)
            if person is not None and person.pk != request.user.pk:
                people[person.pk] = person
        if people:
            people_listed.send(
                sender=type(self),
                people=list(people.values()),
                staff=request.user,
                record=f"{self.person_record}-list",
            )

    def _narrowed_to_people(self, request: HttpRequest, changelist) -> bool:
        if changelist.query and self.get_search_fields(request):
            return True
        return any(picks_person(self.model, lookup) for lookup in changelist.get_filters_params())

    def _person_opened(self, request: HttpRequest, object_id: str) -> User | None:
        # get_object() starts from the scoped queryset: another organisation's object is
        # None here, as it is a 404 for the page.
        obj = self.get_object(request, unquote(object_id))
        person = None if obj is None else self.person_of(obj)
        if person is None or person.pk == request.user.pk:
            return None
        return person

    def _announce_opened(self, request: HttpRequest, person: User | None, response):
        # Only a page that was actually shown or acted on counts; a refused one showed nothing.
        if person is not None and response.status_code < 400:
            person_record_opened.send(
                sender=type(self), person=person, staff=request.user, record=self.person_record
            )
        return response

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._with_organization(super().get_form(request, obj, change, **kwargs), request)

    # Strict mode: nothing on the page may tie presence to a person.

    def _hides_people(self, request: HttpRequest) -> bool:
        return not may_see_attendance_of_people(request.user)

    def lookup_allowed(self, lookup, value, request):
        # Every query-string filter of the changelist, list_filter's own included, passes here.
        if self._hides_people(request) and ties_presence_to_person(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if not self._hides_people(request):
            return columns
        # ?o= sorts by position in this list, so a dropped column can't be sorted by either.
        return [
            column
            for column in columns
            if not any(ties_presence_to_person(self.model, p) for p in _column_paths(self, column))
        ]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if not self._hides_people(request):
            return fields
        return [f for f in fields if not ties_presence_to_person(self.model, f)]

    def get_ordering(self, request):
        ordering = super().get_ordering(request)
        if not self._hides_people(request):
            return ordering
        return [
            entry
            for entry in ordering
            if not (isinstance(entry, str) and ties_presence_to_person(self.model, entry))
        ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self._hides_people(request):
            return fields
        return [
            f for f in fields if not (isinstance(f, str) and ties_presence_to_person(self.model, f))
        ]

    def get_list_filter(self, request):
        # A plain related filter lists every organisation's rows; RelatedOnlyFieldListFilter
        # lists only those that occur in the (scoped) changelist.
        entries = super().get_list_filter(request)
        if self._hides_people(request):
            entries = [
                entry
                for entry in entries
                if not (
                    isinstance(entry, str | tuple | list)
                    and ties_presence_to_person(
                        self.model, entry if isinstance(entry, str) else entry[0]
                    )
                )
            ]
        filters = []
        for entry in entries:
            if isinstance(entry, str) and _is_relation_filter(self.model, entry):
                filters.append((entry, admin.RelatedOnlyFieldListFilter))
            else:
                filters.append(entry)
        return filters

    def has_module_permission(self, request):
        return _has_tenant(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _has_tenant(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return _has_tenant(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return _has_tenant(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _has_tenant(request) and super().has_delete_permission(request, obj)


class OrganizationScopedInline(_ScopedFormMixin):
    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._with_organization(formset.form, request)
        if not _has_organization_field(self.model):
            return formset

        class ScopedFormSet(formset):
            def _construct_form(self, i, **kwargs):
                # A superuser's forms carry no organisation of their own: a row added
                # inline belongs to its parent's.
                form = super()._construct_form(i, **kwargs)
                if form.instance.organization_id is None:
                    form.instance.organization_id = getattr(self.instance, "organization_id", None)
                return form

        return ScopedFormSet


class ScopedTabularInline(OrganizationScopedInline, admin.TabularInline):
    pass


def _has_tenant(request: HttpRequest) -> bool:
    return request.user.is_superuser or getattr(request, "organization", None) is not None
