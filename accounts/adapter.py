"""How sign-up and sign-in behave on this site (django-allauth's account adapter)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages

from .logins import account_for_login

# What a signed-out reader was about to do ("rate this book") when they were sent to sign in;
# once signed in they are told to click again.
PENDING_ACTION_SESSION_KEY = "shelfmark:pending-action"


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        super().login(request, user)
        to_do = request.session.pop(PENDING_ACTION_SESSION_KEY, None)
        if to_do:
            messages.info(request, f"Signed in: click again to {to_do}.")

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins count per account, whichever of its names was typed (username or
        any of its addresses, in any case); a login that names no account counts as typed."""
        login = credentials.get("email") or credentials.get("username") or ""
        user = account_for_login(login)
        if user is not None:
            return f"account:{user.pk}"
        return f"login:{login.strip().lower()}"
