from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from profiles.models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's e-mail login, loading the person's membership and organisation with them.

    Every request needs the organisation (tenant middleware) and the role (admin access), so
    fetch them in the same query as the user.
    """

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("membership__organization").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
