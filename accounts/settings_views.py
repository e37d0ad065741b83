"""A reader's settings: their profile, their data and the end of their account."""

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from config import images
from config.orm import save_fields
from reviews import counters, social_services
from reviews.models import Comment, Like, Rating, Review, Shelf, ShelfEntry

from . import tokens
from .forms import AccessTokenForm, DeleteAccountForm, NotificationEmailForm, ProfileForm
from .models import AccessToken, User, user_from_unsubscribe_token


class _DataEncoder(DjangoJSONEncoder):
    """Dates as ISO text, as Django writes them; ratings (3.5, 4.0) as the numbers they are."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """Display name, bio and picture; links to e-mail, password, data and deletion."""
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            profile = form.save(commit=False)
            # Only what the form changed: the reader's counters may move meanwhile.
            save_fields(profile, [name for name in form.changed_data if name in form.Meta.fields])
            form.save_picture(profile)
            opened = (
                "profile_visibility" in form.changed_data
                and profile.profile_visibility == User.Visibility.PUBLIC
            )
            approved = social_services.follow_requests_approve_all(target=profile) if opened else 0
        messages.success(request, "Your profile is saved.")
        if approved:
            messages.info(
                request,
                f"{approved} {'reader' if approved == 1 else 'readers'} who asked to follow you "
                "now follow you.",
            )
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "primary_email": user.email},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request):
    """The reader's personal access tokens for the API: made here, shown once, revoked here."""
    form = AccessTokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = tokens.access_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except tokens.TokenRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            form = AccessTokenForm()
    return render(
        request,
        "accounts/access_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": AccessToken.objects.of(request.user),
            "docs_url": reverse("api-1:openapi-view"),
        },
        status=400 if form.errors else (201 if new_token else 200),
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def access_token_revoke(request, pk):
    if tokens.access_token_revoke(user=request.user, token_id=pk):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        messages.info(request, "You have no such token.")
    return redirect("accounts:access-tokens")


@never_cache
@login_required
@require_GET
def export_json(request):
    """Everything the reader gave the site, as one JSON file."""
    user = request.user
    tags: dict[int, list[str]] = {}
    tagged = ShelfEntry.tags.through.objects.filter(shelf__user=user).order_by("shelf__name")
    for entry_id, name in tagged.values_list("shelfentry_id", "shelf__name"):
        tags.setdefault(entry_id, []).append(name)
    data = {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "bio": user.bio,
            "email": user.email,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
            "date_joined": user.date_joined,
            "has_picture": bool(user.avatar_large),
            "profile_visibility": user.profile_visibility,
        },
        "ratings": list(
            Rating.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("book_id", "book__title", "stars", "created_at", "updated_at")
        ),
        "shelves": list(
            Shelf.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("name", "kind", "exclusive", "created_at")
        ),
        "shelf_entries": [
            {**entry, "tags": tags.get(entry["id"], [])}
            for entry in ShelfEntry.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values(
                "id",
                "book_id",
                "book__title",
                "shelf__name",
                "date_added",
                "date_read",
                "read_count",
                "owned_copies",
                "private_notes",
            )
        ],
        "reviews": list(
            Review.objects.filter(user=user)
            .order_by("date", "pk")
            .values("id", "book_id", "book__title", "date", "rating", "spoiler", "body", "hidden")
        ),
        "likes": list(
            Like.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("review_id", "review__book__title", "created_at")
        ),
        "comments": list(
            Comment.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("id", "review_id", "parent_id", "body", "hidden", "created_at")
        ),
        # The readers they follow, block and mute, by the names pages show them under.
        "following": list(
            user.following_rows.order_by("created_at", "pk").values_list(
                "followed__username", flat=True
            )
        ),
        "blocked": list(
            user.blocks_made.order_by("created_at", "pk").values_list(
                "blocked__username", flat=True
            )
        ),
        "muted": list(
            user.mutes_made.order_by("created_at", "pk").values_list("muted__username", flat=True)
        ),
        "library_imports": list(
            user.library_imports.order_by("created_at", "pk").values(
                "file_name", "created_at", "status", "rows_total", "rows_done"
            )
        ),
    }
    response = HttpResponse(
        json.dumps(data, cls=_DataEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="shelfmark-{user.username}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """After the password, the reader's account goes with all they wrote; the figures of the
    books and reviews they counted in are counted again."""
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        files = [getattr(user, rendition.field).name for rendition in user.AVATAR_RENDITIONS]
        storage = user.avatar_small.storage
        with transaction.atomic():
            counters.delete_and_recount(get_user_model().objects.filter(pk=user.pk))
            transaction.on_commit(lambda: images.delete_files(storage, files))
        logout(request)
        messages.success(request, "Your account and everything you wrote here are deleted.")
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which kinds of notification also come by e-mail."""
    user = request.user
    form = NotificationEmailForm(request.POST or None, initial={"kinds": user.email_notifications})
    if request.method == "POST" and form.is_valid():
        User.objects.filter(pk=user.pk).update(email_notifications=form.cleaned_data["kinds"])
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("accounts:notification-settings")
    return render(
        request,
        "accounts/notification_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# Mail programs post here with no cookie and no form token when the reader clicks their
# "Unsubscribe" button (RFC 8058); the signed token in the address is the proof.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop every notification e-mail, from a link in one of them, without signing in: GET
    asks, POST stops them."""
    reader = user_from_unsubscribe_token(token)
    if reader is None:
        return render(request, "accounts/unsubscribe.html", {"bad_link": True}, status=404)
    reader = get_object_or_404(User, pk=reader.pk)
    done = False
    if request.method == "POST":
        User.objects.filter(pk=reader.pk).update(email_notifications=[])
        done = True
    return render(request, "accounts/unsubscribe.html", {"reader": reader, "done": done})
