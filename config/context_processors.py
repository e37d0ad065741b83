"""What every page's template may use, computed from the request alone (no query)."""

from django.utils.functional import SimpleLazyObject


def canonical(request):
    """``canonical_url``: this page's one address, absolute, without the query string except
    its page number (so that page 3 of a list is its own page, and a sort order is not)."""

    def build():
        url = request.build_absolute_uri(request.path)
        page = request.GET.get("page", "")
        if page.isdigit() and int(page) > 1:
            url += f"?page={int(page)}"
        return url

    return {"canonical_url": SimpleLazyObject(build)}
