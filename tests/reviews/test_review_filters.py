"""The community reviews of a book page: filters by stars, language and words, sorting and
pages that keep the filters."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from reviews import services
from reviews.models import Review

ITALIAN = ["LW", "Edmond Dantes"]
SPANISH = ["Roberto"]
GREEK = ["Andreas Kakaris"]
SOURCE_REVIEWS = 97


def book_url(book):
    return reverse("books:detail", kwargs={"pk": book.pk})


def page(client, book, **params):
    response = client.get(book_url(book), params)
    assert response.status_code == 200
    return response.content.decode()


def reviewer_names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'class="reviewer" href="[^"]*">([^<]*)</a>', html)]


def review_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="review" id="review-(\d+)">', html)]


def displaying(html: str) -> tuple[int, int, int]:
    found = re.search(r"Displaying (\d+) - (\d+) of ([\d,]+) reviews?", html)
    assert found, "no Displaying line"
    first, last, total = found.groups()
    return int(first), int(last), int(total.replace(",", ""))


def in_all(html: str) -> tuple[int, int]:
    """All the reviews the book has, and those of them left on Goodreads, as the page says."""
    found = re.search(
        r"\(([\d,]+) in all; the other ([\d,]+) are on Goodreads and were not imported\)", html
    )
    assert found, "no count of the reviews left on Goodreads"
    return tuple(int(figure.replace(",", "")) for figure in found.groups())


def make_readers(django_user_model, n, prefix="reader"):
    return [django_user_model.objects.create(username=f"{prefix}{i:02}") for i in range(n)]


@pytest.mark.django_db
def test_the_source_pages_reviews_come_out_in_their_languages(source_book):
    languages = {}
    for review in Review.objects.filter(book=source_book).select_related("imported_reviewer"):
        languages.setdefault(review.language, []).append(review.imported_reviewer.name)
    assert sorted(languages["it"]) == sorted(ITALIAN)
    assert languages["es"] == SPANISH
    assert languages["el"] == GREEK
    assert set(languages) == {"en", "it", "es", "el"}
    assert len(languages["en"]) == 26 - 4


@pytest.mark.django_db
def test_the_language_choices_are_those_of_the_book_with_readable_names(client, source_book):
    html = page(client, source_book)
    select = re.search(r'<select name="language".*?</select>', html, re.DOTALL).group(0)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options == [
        ("", "All languages"),
        ("en", "English"),
        ("el", "Greek"),
        ("it", "Italian"),
        ("es", "Spanish"),
    ]


@pytest.mark.django_db
def test_filtering_by_language_finds_exactly_those_reviews(client, source_book):
    html = page(client, source_book, language="it")
    assert sorted(reviewer_names(html)) == sorted(ITALIAN)
    assert displaying(html) == (1, 2, 2)
    assert '<option value="it" selected>Italian</option>' in html

    html = page(client, source_book, language="el")
    assert reviewer_names(html) == GREEK
    html = page(client, source_book, language="es")
    assert reviewer_names(html) == SPANISH
    html = page(client, source_book, language="en")
    assert displaying(html) == (1, 22, 22)
    assert not set(reviewer_names(html)) & {*ITALIAN, *SPANISH, *GREEK}


@pytest.mark.django_db
def test_unfiltered_the_page_counts_every_review_the_book_has(client, source_book):
    # The source page counted 97 reviews and carried 26: the line offers only pages that exist
    # and says where the others are.
    html = page(client, source_book)
    assert displaying(html) == (1, 26, 26)
    assert in_all(html) == (SOURCE_REVIEWS, SOURCE_REVIEWS - 26)
    # Sorting alone leaves every review in.
    html = page(client, source_book, sort="newest")
    assert displaying(html) == (1, 26, 26)
    assert in_all(html) == (SOURCE_REVIEWS, SOURCE_REVIEWS - 26)


@pytest.mark.django_db
def test_filtering_by_stars(client, source_book, django_user_model):
    fans = make_readers(django_user_model, 3, "fan")
    for stars, reader in zip((5, 5, 2), fans, strict=True):
        services.review_create(
            user=reader, book=source_book, body=f"{reader.username} thinks so.", rating=stars
        )
    # A rating without a review gives no review to find.
    quiet = make_readers(django_user_model, 1, "quiet")[0]
    services.rating_set(user=quiet, book=source_book, stars=5)

    html = page(client, source_book, rating=5)
    assert sorted(reviewer_names(html)) == ["fan00", "fan01"]
    assert displaying(html) == (1, 2, 2)
    assert reviewer_names(page(client, source_book, rating=2)) == ["fan02"]
    html = page(client, source_book, rating=1)
    assert reviewer_names(html) == []
    assert "No reviews match these filters." in html
    # Each bar of the histogram leads to its reviews.
    html = page(client, source_book)
    for stars in range(1, 6):
        assert f'href="?rating={stars}#reviews"' in html


@pytest.mark.django_db
def test_searching_the_review_text(client, source_book):
    html = page(client, source_book, q="HEARTBREAKING")
    assert reviewer_names(html) == ["Buck"]
    assert displaying(html) == (1, 1, 1)
    html = page(client, source_book, q="Trotsky", language="en")
    names = reviewer_names(html)
    english = Review.objects.filter(book=source_book, language="en")
    if connection.vendor == "postgresql":
        # Full-text search matches the word (and its forms), not "Trotskyist".
        expected = sum(bool(re.search(r"\btrotsky\b", r.body, re.I)) for r in english)
    else:
        expected = english.filter(body__icontains="trotsky").count()
    assert len(names) == expected
    assert expected >= 2
    assert 'value="Trotsky"' in html
    html = page(client, source_book, q="no review says this")
    assert reviewer_names(html) == []
    assert "No reviews match these filters." in html


@pytest.mark.django_db
def test_sorting(client, source_book, django_user_model):
    imported = Review.objects.filter(book=source_book).select_related("imported_reviewer")
    reviews = {review.imported_reviewer.name: review for review in imported}
    likers = make_readers(django_user_model, 3, "liker")
    for liker in likers:
        services.like_add(user=liker, review=reviews["Roberto"])
    for liker in likers[:2]:
        services.like_add(user=liker, review=reviews["Kevin"])

    default = reviewer_names(page(client, source_book))
    assert default[:3] == ["Buck", "John", "Jonfaith"]  # the order of the source page

    def dates(html):
        return [
            datetime.date.fromisoformat(d)
            for d in re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
        ]

    newest = dates(page(client, source_book, sort="newest"))
    assert newest == sorted(newest, reverse=True)
    assert newest[0] == datetime.date(2025, 6, 17)
    oldest = dates(page(client, source_book, sort="oldest"))
    assert oldest == sorted(oldest)
    assert oldest[0] == datetime.date(2009, 1, 9)
    liked = reviewer_names(page(client, source_book, sort="likes"))
    assert liked[:2] == ["Roberto", "Kevin"]


@pytest.mark.django_db
@override_settings(REVIEWS_PER_PAGE=30)
def test_pages_keep_the_filters(client, source_book, django_user_model):
    readers = make_readers(django_user_model, 40)
    for i, reader in enumerate(readers):
        services.review_create(
            user=reader,
            book=source_book,
            body=f"Reader number {i} found this memoir gripping and sad.",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
    total = SOURCE_REVIEWS + 40
    here = 26 + 40

    html = page(client, source_book)
    assert displaying(html) == (1, 30, here)
    assert in_all(html) == (total, total - here)
    assert len(review_ids(html)) == 30
    html = page(client, source_book, page=3)
    assert displaying(html) == (61, 66, here)
    assert in_all(html) == (total, total - here)

    english = Review.objects.filter(book=source_book, language="en").count()
    assert english == 22 + 40
    html = page(client, source_book, language="en", sort="newest")
    assert displaying(html) == (1, 30, english)
    next_link = re.search(r'<a rel="next" href="([^"]*)"', html).group(1)
    assert unescape(next_link) == "?language=en&sort=newest&page=2"
    first_page = review_ids(html)

    html = client.get(book_url(source_book) + unescape(next_link)).content.decode()
    assert displaying(html) == (31, 60, english)
    second_page = review_ids(html)
    assert not set(first_page) & set(second_page)
    previous = re.search(r'<a rel="prev" href="([^"]*)"', html).group(1)
    assert unescape(previous) == "?language=en&sort=newest&page=1"
    # The readers' reviews, newest first, come before the imported ones from older years.
    by_reader = {r.user_id: r.pk for r in Review.objects.filter(user__in=readers)}
    assert first_page == [by_reader[reader.pk] for reader in reversed(readers[10:])]
    assert second_page[:10] == [by_reader[reader.pk] for reader in reversed(readers[:10])]


@pytest.mark.django_db
def test_bad_filter_values_are_ignored_with_a_note(client, source_book):
    html = page(client, source_book, rating="9", language="xx", sort="best", page="abc")
    assert displaying(html) == (1, 26, 26)
    assert in_all(html) == (SOURCE_REVIEWS, SOURCE_REVIEWS - 26)
    assert "Select a valid choice" in html


@pytest.mark.django_db
def test_hidden_reviews_are_never_shown_or_counted(client, source_book, other_reader):
    review = services.review_create(
        user=other_reader, book=source_book, body="Una recensione nascosta, scritta in italiano."
    )
    assert review.language == "it"
    services.review_set_hidden(review=review, hidden=True)
    for params in ({}, {"language": "it"}, {"q": "nascosta"}, {"sort": "newest"}):
        html = page(client, source_book, **params)
        assert "Una recensione nascosta" not in html
        assert review.pk not in review_ids(html)
    assert sorted(reviewer_names(page(client, source_book, language="it"))) == sorted(ITALIAN)
    html = page(client, source_book)
    assert displaying(html) == (1, 26, 26)
    assert in_all(html) == (SOURCE_REVIEWS, SOURCE_REVIEWS - 26)


@pytest.mark.django_db
def test_the_count_of_an_unfiltered_list_takes_in_reviews_in_no_language(client, source_book):
    """The languages' counts give the count of the unfiltered list, reviews in none with them."""
    Review.objects.filter(pk__in=review_ids(page(client, source_book))[:3]).update(language="")
    html = page(client, source_book)
    assert displaying(html) == (1, 26, 26)
    html = page(client, source_book, language="en")
    english = Review.objects.filter(book=source_book, language="en").count()
    assert displaying(html)[2] == english
