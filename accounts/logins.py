"""Which account a typed login names: the one rule sign-in, its lockout and its timing share."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def account_for_login(login: str):
    """The account ``login`` (a username or an e-mail address, in any case) names, or None.

    An address names the account that has verified it; failing that, the one account whose
    own address it is (the one given at sign-up, or by an admin), when exactly one has it.
    An address added to an account and never verified names nobody: an unverified address
    signs nobody in. Anything else is looked up as a username. Usernames cannot hold "@", so
    an address is never mistaken for somebody's username.
    """
    login = (login or "").strip()
    if not login:
        return None
    User = get_user_model()
    if "@" in login:
        verified = (
            EmailAddress.objects.filter(email__iexact=login, verified=True)
            .select_related("user")
            .first()
        )
        if verified is not None:
            return verified.user
        owners = list(User.objects.filter(email__iexact=login)[:2])
        return owners[0] if len(owners) == 1 else None
    matches = [
        user
        for user in User.objects.filter(username__iexact=login)[:2]
        if user.username.lower() == login.lower()
    ]
    return matches[0] if len(matches) == 1 else None
