from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from reviews.models import Review

from .models import Author, Book


def home(request):
    books = Book.objects.with_authors().order_by("-featured", "-ratings_total", "title")[:30]
    return render(request, "books/home.html", {"books": books})


def book_detail(request, pk):
    book = get_object_or_404(
        Book.objects.prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("pk")), "blurbs"
        ),
        pk=pk,
    )
    reviews = book.reviews.visible().with_authors()
    paginator = Paginator(reviews, settings.REVIEWS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "books/book_detail.html",
        {"book": book, "page_obj": page_obj, "reviews": page_obj.object_list},
    )


def author_detail(request, pk):
    author = get_object_or_404(Author, pk=pk)
    books = author.books.order_by("-ratings_total", "title")
    return render(request, "books/author_detail.html", {"author": author, "books": books})
