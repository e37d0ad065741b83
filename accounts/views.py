from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render


def profile(request, username):
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    reviews = reader.reviews.visible().select_related("book")
    return render(request, "accounts/profile.html", {"reader": reader, "reviews": reviews})
