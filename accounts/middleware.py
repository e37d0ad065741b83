"""A suspended reader reads, but sends nothing that writes."""

from django.http import JsonResponse
from django.shortcuts import render

# What a suspended reader may still post: signing in and out, their password and e-mail
# addresses (allauth's ``account_*`` pages), which e-mail they get, and leaving for good.
ALLOWED_FOR_SUSPENDED = {
    "accounts:delete",
    "accounts:notification-settings",
    "accounts:unsubscribe",
}


class SuspendedReadersMiddleware:
    """Answer 403, with the reason, to every form a suspended reader posts, before the view
    runs; the services refuse them too, so a write that comes some other way is refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.method != "POST" or user is None or not user.is_authenticated:
            return None
        refusal = user.write_refusal
        match = request.resolver_match
        name = match.view_name if match else ""
        if not refusal or name in ALLOWED_FOR_SUSPENDED or name.startswith(("account_", "admin:")):
            return None
        if request.headers.get("accept") == "application/json":
            return JsonResponse({"message": refusal}, status=403)
        return render(request, "403.html", {"reason": refusal}, status=403)
