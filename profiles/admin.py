from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from profiles import registry
from profiles.admin_scoping import OrganizationScopedAdmin, ScopedTabularInline
from profiles.models import EmailDomain, Membership, Organization, Profile, Role, User
from profiles.services import (
    MembershipError,
    ProfileError,
    apply_strict_preset,
    create_member,
    may_assign_role,
    set_role,
)


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

    def save(self, commit=True):
        organization = self.cleaned_data.get("organization") or self.actor.organization
        return create_member(
            organization=organization,
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
        obj.save()
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
