from django.contrib.auth.models import AbstractUser
from django.core import signing
from django.db import models
from django.urls import reverse

from config.images import Rendition, picture_field
from config.navigation import text_url


class User(AbstractUser):
    """A reader with an account on this site."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone"
        FOLLOWERS = "followers", "Followers only (you approve who follows you)"
        PRIVATE = "private", "Only me"

    # What the site shows for the reader; the username stays their address (/readers/<username>/).
    display_name = models.CharField(max_length=60, blank=True)
    bio = models.TextField(blank=True)
    # A picture the reader uploaded, at the sizes pages show (config/images.py); blank: initials.
    avatar_small = picture_field("avatars/")
    avatar_large = picture_field("avatars/")

    # What the reader's profile shows, kept by reviews.counters with the rows they count (the
    # books on each shelf are counted on the shelf's own row).
    ratings_count = models.PositiveIntegerField(default=0)
    reviews_count = models.PositiveIntegerField(default=0)  # visible reviews
    # Notifications the reader has not seen yet, shown in every page's header.
    unread_notifications_count = models.PositiveIntegerField(default=0)
    # Which kinds of notification also come by e-mail, in a digest (reviews.notifications).
    email_notifications = models.JSONField(default=list, blank=True)

    # A suspended reader signs in and reads, but writes nothing; pages say why.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)

    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)

    # Who sees the reader's profile and what they do in the feed; with FOLLOWERS, following
    # them asks for their approval, and PRIVATE takes no followers at all.
    profile_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    AVATAR_RENDITIONS = (Rendition("avatar_small", 64), Rendition("avatar_large", 256))

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(profile_visibility__in=["public", "followers", "private"]),
                name="user_known_profile_visibility",
            ),
        ]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return text_url("accounts:profile", "username", self.username)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def write_refusal(self) -> str:
        """Why this reader may not write anything now; "" when they may."""
        if self.suspended_at is None:
            return ""
        reason = self.suspension_reason or "a moderator's decision"
        return f"Your account is suspended ({reason}): you can read, but not write or react."

    @property
    def shown_name(self) -> str:
        """The name pages show: the display name the reader chose, else their username."""
        return self.display_name or self.username


class LibraryImport(models.Model):
    """A Goodreads library export a reader uploaded, and how importing it went.

    The file's text is kept here so that a background worker can read it, and deleted (private
    notes and all) when the import ends, done or failed; ``report`` then holds only what the
    import's page shows (see ``reviews.goodreads.library_import.ImportReport``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="library_imports")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=255, blank=True)
    csv_text = models.TextField(blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The file's good rows written so far, in file order, saved with each chunk of them: an
    # import taken up again starts after them.
    rows_committed = models.PositiveIntegerField(default=0)
    # Last sign of life from the worker running the import (saved with each chunk); a running
    # import without one for LIBRARY_IMPORT_STALE_SECONDS is queued again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="library_import_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="library_import_done_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.file_name or 'library'} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("accounts:library-import-detail", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent_done(self) -> int:
        return round(self.rows_done * 100 / self.rows_total) if self.rows_total else 0


class AccessTokenQuerySet(models.QuerySet):
    def of(self, user):
        """A reader's tokens, the newest first (without their hashes)."""
        return self.filter(user=user).defer("secret_hash").order_by("-created_at", "-pk")


class AccessToken(models.Model):
    """A personal access token a reader made for a program of theirs (the API's
    ``Authorization: Bearer ...``). Only the SHA-256 of its secret is kept, with a short
    prefix to find it by: the whole token is shown once, when it is made
    (``accounts.tokens``)."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]), name="access_token_known_scope"
            ),
            models.UniqueConstraint(fields=["user", "name"], name="access_token_unique_name"),
        ]

    def __str__(self):
        return f"{self.user}: {self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


# Links in e-mail that stop them work without signing in: they carry the reader's id, signed.
UNSUBSCRIBE_SALT = "accounts.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token: str):
    """The reader a token was made for; None for a token this site did not sign."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
