from django import forms
from django.utils.translation import gettext_lazy as _


class ContactForm(forms.Form):
    """A question to the service desk; no account needed."""

    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("Only used to answer your question.")
    )
    message = forms.CharField(label=_("Your question"), max_length=5000, widget=forms.Textarea)
    # A honeypot: hidden from people by CSS, filled in by robots that fill in everything.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_from_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class NearMeForm(forms.Form):
    """Where the person is now: used to sort buildings, then forgotten."""

    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
