"""Make a reader and a personal access token for trying the API (and for the API's schema
check in CI), and print the token.

    python manage.py api_token [--username apitester] [--scope write]

The reader is made if missing (with an unusable password) and given a new token named after
the time; earlier tokens stay. The token is printed once, on its own line.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.tokens import TokenRefused, access_token_create


class Command(BaseCommand):
    help = "Make a reader's personal access token for the API and print it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="apitester")
        parser.add_argument("--scope", choices=["read", "write"], default="write")

    def handle(self, *args, username, scope, **options):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        name = f"api_token {timezone.now():%Y-%m-%d %H:%M:%S.%f}"
        try:
            _row, token = access_token_create(user=user, name=name, scope=scope)
        except TokenRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(token)
