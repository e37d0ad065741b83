from django.shortcuts import get_object_or_404, render

from .models import ImportedReviewer


def reviewer_detail(request, pk):
    reviewer = get_object_or_404(ImportedReviewer, pk=pk)
    reviews = reviewer.reviews.visible().select_related("book")
    return render(
        request, "reviews/reviewer_detail.html", {"reviewer": reviewer, "reviews": reviews}
    )
