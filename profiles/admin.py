import csv
import json
from datetime import UTC

from allauth.usersessions.admin import UserSessionAdmin as AllauthUserSessionAdmin
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles import registry
from profiles.admin_scoping import OrganizationScopedAdmin, ScopedTabularInline
from profiles.audit import building_zone, describe_change, local_when, role_label
from profiles.models import AuditEntry, EmailDomain, Membership, Organization, Profile, Role, User
from profiles.services import (
    MEMBER_FIELDS,
    MembershipError,
    ProfileError,
    apply_strict_preset,
    check_member_email,
    create_member,
    may_assign_role,
    save_organization,
    set_role,
    update_member,
)
from profiles.visibility import may_see_attendance_of_people


def _assignable_roles(actor: User, target: User | None) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in Role.choices
        if may_assign_role(actor=actor, target=target, role=value)
        or (target is not None and value == target.role)
    ]


class UserAddForm(forms.ModelForm):
    """Add a person to the organisation; they set their password through "forgot password"."""

    role = forms.ChoiceField(label=_("role"))
    organization = forms.ModelChoiceField(Organization.objects.all(), label=_("organisation"))

    class Meta:
        model = User
        fields = ["email", "full_name", "language"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = _assignable_roles(actor, None)
        if not actor.is_superuser:
            del self.fields["organization"]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Someone with this e-mail address already has an account."))
        return email

    def _organization(self) -> Organization | None:
        return self.cleaned_data.get("organization") or self.actor.organization

    def clean(self) -> dict:
        cleaned = super().clean()
        email, organization = cleaned.get("email"), self._organization()
        if email and organization is not None:
            try:
                check_member_email(organization=organization, email=email)
            except MembershipError as error:
                self.add_error("email", str(error))
        return cleaned

    def save(self, commit=True):
        return create_member(
            organization=self._organization(),
            email=self.cleaned_data["email"],
            full_name=self.cleaned_data["full_name"],
            role=self.cleaned_data["role"],
        )

    def save_m2m(self):
        pass


class UserChangeForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), required=False)

    class Meta:
        model = User
        fields = ["full_name", "language", "is_active"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        target = self.instance
        if target.role is None:
            del self.fields["role"]
        else:
            self.fields["role"].choices = _assignable_roles(actor, target)
            self.fields["role"].initial = target.role
        if target.pk == actor.pk:
            # Nobody locks themselves out or promotes themselves.
            self.fields.pop("is_active", None)
            self.fields.pop("role", None)

    def clean_role(self) -> str | None:
        role = self.cleaned_data.get("role")
        if role and not may_assign_role(actor=self.actor, target=self.instance, role=role):
            raise ValidationError(_("You can't give this role to this person."))
        return role


@admin.register(User)
class UserAdmin(OrganizationScopedAdmin):
    list_display = ["email", "full_name", "role_display", "is_active", "last_login"]
    list_filter = ["membership__role", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["email", "date_joined", "last_login"]
    list_select_related = ["membership"]
    person_record = "account"

    def person_of(self, obj: User) -> User:
        return obj

    @admin.display(description=_("role"), ordering="membership__role")
    def role_display(self, user: User) -> str:
        return user.membership.get_role_display() if hasattr(user, "membership") else "—"

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            fields = ["email", "full_name", "language", "role"]
            return [*fields, "organization"] if request.user.is_superuser else fields
        fields = ["email", "full_name", "language", "is_active", "role"]
        # The same fields UserChangeForm keeps: an unticked is_active the page doesn't show
        # would deactivate the person on save.
        if obj.pk == request.user.pk:
            fields = [f for f in fields if f not in {"is_active", "role"}]
        elif obj.role is None:
            fields.remove("role")
        return [*fields, "date_joined", "last_login"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = UserChangeForm if obj is not None else UserAddForm
        actor = request.user

        class BoundForm(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=actor, **kw)

        BoundForm.__name__ = base.__name__
        return BoundForm

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
            return True
        if obj.is_superuser:
            # A platform superuser who is also a member outranks every role in it.
            return False
        # Only people ranked below you: a facility manager can't edit an organisation admin.
        return Role.rank(obj.role) < Role.rank(request.user.role)

    def has_delete_permission(self, request, obj=None):
        # Only a platform superuser deletes people here, and only through erasure (see
        # delete_model). Facility managers and organisation admins never: erasure can't be
        # undone, and it is the person's own decision.
        if not request.user.is_superuser:
            return False
        return obj is None or obj.pk != request.user.pk

    def get_actions(self, request):
        # The bulk delete would erase many people in one click; one at a time, on purpose.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        # Erasure deletes what points to the person (their PROTECT rows included), so the
        # confirmation page must not refuse because of them.
        return (
            [str(obj) for obj in objs],
            {str(User._meta.verbose_name_plural): len(objs)},
            set(),
            [],
        )

    def log_deletions(self, request, queryset):
        # A log entry would keep the erased person's name.
        pass

    def delete_model(self, request, obj):
        registry.erase_person(user=obj)

    def _announce_opened(self, request, person, response):
        # After an erasure there is nobody left to tell who looked.
        if person is not None and not User.objects.filter(pk=person.pk).exists():
            person = None
        return super()._announce_opened(request, person, response)

    def save_model(self, request, obj, form, change):
        if not change:
            # UserAddForm.save() created the person through the service.
            form.instance = obj
            return
        # The form already copied its values onto obj: compare with the row as stored.
        stored = User.objects.select_related("membership").get(pk=obj.pk)
        values = {name: form.cleaned_data[name] for name in MEMBER_FIELDS if name in form.fields}
        update_member(user=stored, actor=request.user, **values)
        role = form.cleaned_data.get("role")
        if role:
            try:
                set_role(membership=obj.membership, role=role, actor=request.user)
            except MembershipError as error:
                messages.error(request, str(error))

    def save_form(self, request, form, change):
        return form.save(commit=False) if change else form.save()


class EmailDomainInline(ScopedTabularInline):
    model = EmailDomain
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    list_display = ["name", "slug", "city", "country", "subscription_ends_on"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EmailDomainInline]
    fieldsets = [
        (None, {"fields": ["name", "slug"]}),
        (_("Billing"), {"fields": ["street", "postal_code", "city", "country", "vat_number"]}),
        (_("Subscription"), {"fields": ["subscription_ends_on"]}),
        (_("Security"), {"fields": ["staff_must_use_mfa"]}),
        (
            _("Privacy"),
            {
                "fields": [
                    "colleague_search_enabled",
                    "names_on_plans",
                    "presence_sharing_allowed",
                    "strict_mode",
                    "retention_days",
                    "asks_phone",
                    "asks_picture",
                    "asks_postal_code",
                    "asks_place_of_residence",
                ]
            },
        ),
    ]
    actions = ["apply_strict_preset_action"]

    @admin.action(
        description=_("Apply the strict privacy preset (for works councils)"),
        permissions=["change"],
    )
    def apply_strict_preset_action(self, request, queryset):
        applied = 0
        for organization in queryset:
            try:
                apply_strict_preset(organization=organization, actor=request.user)
            except ProfileError as error:
                messages.error(request, str(error))
            else:
                applied += 1
        if applied:
            messages.success(
                request,
                _(
                    "Strict preset applied: no names on plans, no colleague search, no presence "
                    "sharing, and facility managers see only totals."
                ),
            )

    def save_model(self, request, obj, form, change):
        # Through the service: a changed privacy or security setting goes into the audit log.
        save_organization(organization=obj, actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        # The subscription is the platform's business, not the customer's.
        return [] if request.user.is_superuser else ["slug", "subscription_ends_on"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    readonly_fields = ["user", "organization", "role", "created_at"]
    person_record = "account"

    def person_of(self, obj: Membership) -> User:
        return obj.user

    def has_add_permission(self, request):
        return False


@admin.register(Profile)
class ProfileAdmin(OrganizationScopedAdmin):
    list_display = ["user", "default_building", "findable", "name_on_plans"]
    list_filter = ["findable", "name_on_plans", "default_building"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user"]
    person_record = "profile"

    def person_of(self, obj: Profile) -> User:
        return obj.user

    def has_add_permission(self, request):
        return False


# A cell starting with one of these is a formula to a spreadsheet; free text (a reason) could
# otherwise run one on the organisation admin's machine.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _local_time(entry: AuditEntry) -> str:
    zone = building_zone(entry)
    if zone is None:
        return ""
    return timezone.localtime(entry.created_at, zone).isoformat(timespec="seconds")


class _StaffMemberFilter(admin.RelatedOnlyFieldListFilter):
    """The staff members in the log; entries of one since erased under "a former staff member"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("a former staff member")


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganizationScopedAdmin):
    """The organisation's audit log of staff changes: read-only, filterable, downloadable.

    Only organisation admins (and platform superusers) have its view permission: the log is
    how they oversee what facility managers do, and it names the people affected.
    """

    # The staff member's role goes with their name, in one column: eight columns beside the
    # filters left the object and the reason a word wide.
    list_display = [
        "when_column",
        "actor_with_role_column",
        "action",
        "description",
        "change_column",
        "subject",
        "reason",
    ]
    list_filter = ["action", "created_at", ("actor", _StaffMemberFilter)]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "when_column",
        "actor_column",
        "role_column",
        "action",
        "kind_column",
        "object_id",
        "description",
        "change_column",
        "time_zone",
        "subject",
        "reason",
    ]
    readonly_fields = fields
    # In strict mode the person affected (`subject`) is left out of columns, fields and filters
    # by the base class: admin_scoping.PRESENCE_PERSON_FIELDS.
    person_record = "audit-log"

    def person_of(self, obj: AuditEntry) -> User | None:
        return obj.subject

    @admin.display(description=_("when"), ordering="created_at")
    def when_column(self, entry: AuditEntry) -> str:
        # In the zone of the building it was about, named: the admin's own times are UTC.
        return local_when(entry)

    @admin.display(description=_("staff member"), ordering="actor__email")
    def actor_column(self, entry: AuditEntry) -> str:
        return entry.actor_display

    @admin.display(description=_("staff member"), ordering="actor__email")
    def actor_with_role_column(self, entry: AuditEntry) -> str:
        return f"{entry.actor_display} ({role_label(entry.actor_role)})"

    @admin.display(description=AuditEntry._meta.get_field("content_type").verbose_name)
    def kind_column(self, entry: AuditEntry) -> str:
        # "booking", not the content type's "Bookings | booking".
        model = entry.content_type.model_class() if entry.content_type else None
        return str(model._meta.verbose_name) if model else "–"

    @admin.display(description=_("staff role"), ordering="actor_role")
    def role_column(self, entry: AuditEntry) -> str:
        return role_label(entry.actor_role)

    @admin.display(description=_("what changed"))
    def change_column(self, entry: AuditEntry) -> str:
        change = describe_change(entry)
        # Cancelling or a switch on/off changes the object as a whole: its column says it all.
        return "–" if change == entry.description else change

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Rows go only by retention and erasure, never by hand.
        return False

    def get_urls(self):
        # Before the inherited patterns: their "<object_id>/" catch-all would take it.
        csv_url = path(
            "csv/", self.admin_site.admin_view(self.csv_view), name="profiles_auditentry_csv"
        )
        return [csv_url, *super().get_urls()]

    def csv_view(self, request: HttpRequest) -> HttpResponse:
        """Download the changelist as it is filtered, as CSV; times in UTC with the offset."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest()
        entries = changelist.get_queryset(request)
        # A download narrowed to people is looking at them, as the list page is.
        self._announce_listed(request, changelist, rows=entries.select_related("subject"))
        entries = entries.select_related("actor", "subject", "content_type")
        with_person = may_see_attendance_of_people(request.user)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        header = [
            "created_at_utc",
            "created_at_local",
            "time_zone",
            "staff_member",
            "staff_role",
            "action",
            "object_type",
            "object_id",
            "object",
            "changes",
            "reason",
        ]
        writer.writerow([*header, "person_affected"] if with_person else header)
        for entry in entries.iterator(chunk_size=500):
            row = [
                entry.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                _local_time(entry),
                entry.time_zone,
                entry.actor.email if entry.actor else entry.actor_display,
                entry.actor_role,
                entry.action,
                entry.content_type.model if entry.content_type_id else "",
                entry.object_id,
                entry.description,
                json.dumps(entry.changes, ensure_ascii=False),
                entry.reason,
            ]
            if with_person:
                row.append(entry.subject.email if entry.subject else "")
            writer.writerow([_csv_cell(value) for value in row])
        return response


admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(AllauthUserSessionAdmin):
    # allauth's searches user__username, which this user model does not have (a 500). Only
    # platform superusers see this page: no role has its permissions.
    search_fields = ["user__email", "ip"]
