"""How sign-up and sign-in behave on this site (django-allauth's account adapter)."""

import functools
import re
import unicodedata
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from confusable_homoglyphs import confusables
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver

from .logins import account_for_login

# What a signed-out reader was about to do ("rate this book") when they were sent to sign in;
# once signed in they are told to click again.
PENDING_ACTION_SESSION_KEY = "shelfmark:pending-action"


# Words a username may not be, besides the first segments of the site's own paths.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "staff",
        "support",
        "help",
        "about",
        "shelfmark",
        "me",
        "settings",
        "login",
        "logout",
        "signup",
        "static",
        "media",
        "api",
        "www",
    }
)


@functools.cache
def reserved_usernames() -> frozenset[str]:
    """RESERVED_USERNAMES and the first segment of every path in the URLconf ("books",
    "readers", "healthz", ...), lowercased."""
    words = set(RESERVED_USERNAMES)
    patterns = list(get_resolver().url_patterns)
    while patterns:
        pattern = patterns.pop()
        first = re.split(r"[/<.]", str(pattern.pattern).lstrip("^"), maxsplit=1)[0]
        if first:
            words.add(first.lower())
        elif isinstance(pattern, URLResolver):  # included at the root: its own first words
            patterns.extend(pattern.url_patterns)
    return frozenset(words)


def latin_skeleton(name: str) -> str:
    """``name`` with every character that Unicode's confusables table (TR39, shipped by
    confusable_homoglyphs) says looks like a Latin one replaced by it: "аlice" (Cyrillic а)
    gives "alice"."""
    out = []
    for char in name:
        found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True)
        latin = [
            glyph["c"]
            for entry in found or []
            for glyph in entry["homoglyphs"]
            if glyph["n"].startswith("LATIN ") and len(glyph["c"]) == 1
        ]
        out.append(latin[0] if latin else char)
    return "".join(out)


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

    def clean_username(self, username, shallow=False):
        """A new username, NFKC-normalised (so full-width and other compatibility forms of a
        name become the name), refused when it is only dots (``/readers/../``), holds "@"
        (addresses sign in too, and must never be taken for a username), is one of the
        site's own path words, or looks like an existing reader's name (its Latin skeleton is
        that name)."""
        username = unicodedata.normalize("NFKC", username).strip()
        if username and set(username) <= {"."}:
            raise ValidationError("A username needs a letter or a digit, not only dots.")
        if "@" in username:
            raise ValidationError("A username cannot hold “@”.")
        if username.lower() in reserved_usernames():
            raise ValidationError("This name belongs to the site. Please choose another.")
        skeleton = latin_skeleton(username)
        if (
            skeleton != username
            and get_user_model()
            .objects.filter(username__iexact=skeleton)
            .exclude(username__iexact=username)
            .exists()
        ):
            raise ValidationError(
                "This name looks like another reader's, letter for letter. Please choose one "
                "that cannot be mistaken for it."
            )
        return super().clean_username(username, shallow=shallow)

    def confirm_email(self, request, email_address):
        """Verify the address, and take unverified copies of it off every other account: an
        address belongs to whoever proves they read its mail."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            EmailAddress.objects.filter(email__iexact=email_address.email, verified=False).exclude(
                user_id=email_address.user_id
            ).delete()
        return confirmed

    def send_mail(self, template_prefix, email, context):
        """Links in account e-mail (confirmation, password reset, sign-up) lead to the site's
        configured address (DJANGO_SITE_URL), never to the Host a request claimed."""
        if settings.SITE_URL:
            context = {name: on_site(value) for name, value in context.items()}
            # "Hello from <site>" names the site, not the Host.
            context["current_site"] = SimpleNamespace(domain=site_host(), name=site_host())
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        if settings.SITE_URL and self.app_settings_prefix() is None:
            return f"[{site_host()}] {subject}"
        return super().format_email_subject(subject)

    @staticmethod
    def app_settings_prefix():
        from allauth.account import app_settings

        return app_settings.EMAIL_SUBJECT_PREFIX


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def on_site(value):
    """An absolute http(s) URL moved onto settings.SITE_URL's scheme and host; anything
    else as it is."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    site = urlsplit(settings.SITE_URL)
    link = urlsplit(value)
    return urlunsplit((site.scheme, site.netloc, link.path, link.query, link.fragment))
