"""How sign-up and sign-in behave on this site (django-allauth's account adapter)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages

# What a signed-out reader was about to do ("rate this book") when they were sent to sign in;
# once signed in they are told to click again.
PENDING_ACTION_SESSION_KEY = "shelfmark:pending-action"


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        super().login(request, user)
        to_do = request.session.pop(PENDING_ACTION_SESSION_KEY, None)
        if to_do:
            messages.info(request, f"Signed in: click again to {to_do}.")
