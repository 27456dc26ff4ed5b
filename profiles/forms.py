from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.flows import email_verification

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
            # What allauth does for a known address, so the page can't tell them apart: the
            # same rate limit on mails to one address, the same "confirmation sent" message.
            if email_verification.handle_verification_email_rate_limit(request, email):
                adapter.send_mail("account/email/unknown_organization", email, {"email": email})
                email_verification.add_email_verification_sent_message(request, email, signup=True)
            return None, adapter.respond_email_verification_sent(request, None)
        return super().try_save(request)
