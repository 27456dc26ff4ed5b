from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm

from profiles.selectors import organization_for_email


class CompanySignupForm(SignupForm):
    """Sign-up that only creates accounts for the domains of client organisations.

    An unknown domain gets exactly the page a known one gets ("check your e-mail"), and the
    e-mail explains that the organisation does not use the service: the page never tells a
    stranger which addresses or organisations we know.
    """

    def try_save(self, request):
        email = self.cleaned_data.get("email")
        if not self.account_already_exists and organization_for_email(email) is None:
            adapter = get_adapter(request)
            adapter.send_mail("account/email/unknown_organization", email, {"email": email})
            return None, adapter.respond_email_verification_sent(request, None)
        return super().try_save(request)
