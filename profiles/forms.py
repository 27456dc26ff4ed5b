from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.flows import email_verification
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from officebooking.celery import enqueue_on_commit
from profiles.images import process_picture
from profiles.models import Language, PendingSignup, Profile, User
from profiles.receivers import SIGNUP_EMAIL_SESSION_KEY
from profiles.selectors import COLLEAGUE_SEARCH_MIN_LENGTH


class CompanySignupForm(SignupForm):
    """Sign-up that only creates accounts for the domains of client organisations.

    A new address on a client's domain, an address that already has an account and an unknown
    domain get the same page ("check your e-mail") after the same work: the password is hashed
    once, the sign-up is stored and one task is queued, which creates the account if it may
    exist and sends the one e-mail. Neither the page nor its timing tells a stranger which
    addresses or organisations we know. (Creating the account in the request made a new
    address answer in ~290 ms and the others in ~18 ms.)
    """

    def try_save(self, request):
        email = self.cleaned_data["email"]
        password_hash = make_password(self.cleaned_data["password1"])
        # allauth's limit on mails to one address, consumed alike for every address.
        notify = email_verification.consume_email_verification_rate_limit(request, email)
        pending = PendingSignup.objects.create(
            email=email,
            password_hash=password_hash,
            language=translation.get_language(),
            notify=notify,
        )
        enqueue_on_commit("profiles.tasks.complete_signup_task", pending_id=pending.pk)
        request.session[SIGNUP_EMAIL_SESSION_KEY] = email
        if notify:
            email_verification.add_email_verification_sent_message(request, email, signup=True)
        return None, get_adapter(request).respond_email_verification_sent(request, None)


class ProfileForm(forms.Form):
    """The person's name, language and the optional profile fields their organisation asks."""

    full_name = forms.CharField(
        label=_("Name"), max_length=User._meta.get_field("full_name").max_length, required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow my browser")), *Language.choices],
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=Profile._meta.get_field("phone").max_length,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP or GIF of at most 10 MB. We keep a small copy without "
            "the data your camera stores in it, such as where the photo was taken."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_picture = forms.BooleanField(label=_("Remove my picture"), required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=Profile._meta.get_field("postal_code").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    place_of_residence = forms.CharField(
        label=_("Place of residence"),
        max_length=Profile._meta.get_field("place_of_residence").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    default_building = forms.ModelChoiceField(
        label=_("Default building"),
        queryset=Profile._meta.get_field("default_building").related_model.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, user: User, **kwargs):
        profile = _profile_of(user)
        initial = {
            "full_name": user.full_name,
            "language": user.language,
            "phone": profile.phone,
            "postal_code": profile.postal_code,
            "place_of_residence": profile.place_of_residence,
            "default_building": profile.default_building_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.has_picture = bool(profile.picture)
        organization = user.organization
        buildings = Profile._meta.get_field("default_building").related_model.objects
        self.fields["default_building"].queryset = buildings.for_organization(
            organization
        ).order_by("name")
        # Only the optional fields the organisation asks for: what is not asked is not shown.
        asked = {
            "phone": organization.asks_phone,
            "picture": organization.asks_picture,
            "postal_code": organization.asks_postal_code,
            "place_of_residence": organization.asks_place_of_residence,
        }
        for name, is_asked in asked.items():
            if not is_asked:
                del self.fields[name]
        if not asked["picture"] or not self.has_picture:
            del self.fields["remove_picture"]

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        return process_picture(upload) if upload else None


class PrivacySettingsForm(forms.Form):
    """The person's own privacy switches; the organisation's settings still win."""

    findable = forms.BooleanField(label=_("Colleagues can find me"), required=False)
    name_on_plans = forms.BooleanField(label=_("Show my name on floor plans"), required=False)
    share_presence_by_default = forms.BooleanField(
        label=_("Share where I am when I check in, by default"), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        profile = _profile_of(user)
        initial = {name: getattr(profile, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        for name, field in self.fields.items():
            # The page says beside each switch whether the organisation lets it take effect.
            field.widget.attrs["aria-describedby"] = f"id_{name}_org"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail address"),
        min_length=COLLEAGUE_SEARCH_MIN_LENGTH,
        max_length=100,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _profile_of(user: User) -> Profile:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)
