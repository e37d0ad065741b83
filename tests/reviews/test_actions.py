"""What a signed-in reader does on a book page (rate, shelve, review, like), through the client,
with the figures the page shows afterwards."""

import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from books.models import Book
from reviews import services
from reviews.counters import recount
from reviews.forms import NOT_A_RATING
from reviews.models import Like, Rating, Review, ShelfEntry

# What the source page states: ratings per star (one star first), reading counts, reviews.
SOURCE_STARS = (10, 14, 63, 238, 486)
SOURCE_CURRENTLY_READING = 86
SOURCE_WANT_TO_READ = 5234
SOURCE_REVIEWS = 97


def book_url(book):
    return reverse("books:detail", kwargs={"pk": book.pk})


def text_of(response) -> str:
    return response.content.decode()


def histogram(html: str) -> dict[int, tuple[int, int]]:
    """``{stars: (count, percent)}`` as the page's histogram shows them."""
    rows = re.findall(
        r'data-stars="(\d)">.*?<td class="count">([\d,]+) \((\d+)%\)</td>', html, re.DOTALL
    )
    return {int(s): (int(count.replace(",", "")), int(pct)) for s, count, pct in rows}


def totals(html: str) -> dict[str, object]:
    average = re.search(r'<span class="average-value">([\d.]+)</span>', html).group(1)
    ratings, reviews = re.search(
        r'<span class="totals">([\d,]+) ratings? · ([\d,]+) reviews?</span>', html
    ).groups()
    reading = re.search(r'class="currently-reading">([\d,]+) ', html).group(1)
    wanting = re.search(r'class="want-to-read">([\d,]+) ', html).group(1)
    return {
        "average": Decimal(average),
        "ratings": int(ratings.replace(",", "")),
        "reviews": int(reviews.replace(",", "")),
        "currently_reading": int(reading.replace(",", "")),
        "want_to_read": int(wanting.replace(",", "")),
    }


def expected_average(counts) -> Decimal:
    weighted = sum(stars * n for stars, n in enumerate(counts, start=1))
    return (Decimal(weighted) / sum(counts)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def last_message(response) -> str:
    """The message the response's request added (earlier unread ones come before it)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def reviewer_names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'class="reviewer" href="[^"]*">([^<]*)</a>', html)]


def post(client, name, pk, data=None, *, next_url=None):
    payload = dict(data or {})
    if next_url is not None:
        payload["next"] = next_url
    return client.post(reverse(name, kwargs={"pk": pk}), payload)


def snapshot(book):
    """Every row and counter a reader's action could move."""
    book = Book.objects.get(pk=book.pk)
    return {
        "ratings": list(Rating.objects.values_list("user_id", "book_id", "stars").order_by("pk")),
        "shelves": list(ShelfEntry.objects.values_list("user_id", "shelf").order_by("pk")),
        "reviews": list(
            Review.objects.values_list("pk", "body", "rating", "spoiler", "likes_count").order_by(
                "pk"
            )
        ),
        "likes": list(Like.objects.values_list("user_id", "review_id").order_by("pk")),
        "figures": [
            book.ratings_total,
            book.average_rating,
            book.currently_reading_total,
            book.want_to_read_total,
            book.reviews_total,
            *(book.star_count(s) for s in range(1, 6)),
            book.ratings_half_stars,
        ],
    }


@pytest.fixture
def other_review(source_book, other_reader):
    return services.review_create(
        user=other_reader, book=source_book, body="A testament from the darkest hours."
    )


# Rating


@pytest.mark.django_db
def test_rating_moves_the_histogram_average_and_total_at_once(reader_client, source_book):
    url = book_url(source_book)
    before = text_of(reader_client.get(url))
    assert histogram(before)[4] == (SOURCE_STARS[3], SOURCE_STARS[3] * 100 // sum(SOURCE_STARS))
    assert totals(before)["ratings"] == sum(SOURCE_STARS)

    response = post(reader_client, "reviews:rate", source_book.pk, {"stars": "4"}, next_url=url)
    assert response.status_code == 303
    assert response["Location"] == f"{url}#your-reading"
    assert last_message(response) == "You rated this book 4 stars."

    html = text_of(reader_client.get(url))
    counts = list(SOURCE_STARS)
    counts[3] += 1
    total = sum(counts)
    assert total == 812
    assert histogram(html)[4] == (239, 239 * 100 // total)
    assert histogram(html)[5] == (486, 486 * 100 // total)
    assert totals(html)["ratings"] == 812
    assert totals(html)["average"] == expected_average(counts)
    assert 'value="4" class="half-star" aria-label="4 stars" checked>' in html
    assert "Your rating: 4 stars" in html
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_changing_and_removing_a_rating(reader_client, reader, source_book):
    url = book_url(source_book)
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "4"})
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "1"})
    html = text_of(reader_client.get(url))
    counts = [SOURCE_STARS[0] + 1, *SOURCE_STARS[1:]]
    assert histogram(html)[4][0] == SOURCE_STARS[3]
    assert histogram(html)[1][0] == SOURCE_STARS[0] + 1
    assert totals(html)["ratings"] == sum(counts)
    assert totals(html)["average"] == expected_average(counts)
    assert Rating.objects.get(user=reader, book=source_book).stars == 1

    response = post(reader_client, "reviews:unrate", source_book.pk, next_url=url)
    assert response.status_code == 303
    assert last_message(response) == "Your rating was removed."
    html = text_of(reader_client.get(url))
    assert histogram(html)[1][0] == SOURCE_STARS[0]
    assert totals(html)["ratings"] == sum(SOURCE_STARS)
    assert totals(html)["average"] == expected_average(SOURCE_STARS)
    assert "Remove my rating" not in html
    assert not Rating.objects.exists()
    assert recount(fix=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("stars", ["5.5", "6", "0", "-1", "abc", "3.3", "4.25", "NaN", "Infinity"])
def test_a_bad_rating_changes_nothing_and_says_why(reader_client, source_book, stars):
    url = book_url(source_book)
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "3"})
    before = snapshot(source_book)

    response = post(reader_client, "reviews:rate", source_book.pk, {"stars": stars}, next_url=url)

    assert response.status_code == 303
    assert response["Location"] == f"{url}#your-reading"
    assert last_message(response) == (
        f"A rating is from half a star to five stars, in half stars: “{stars}” is not one. "
        "Your rating was not changed."
    )
    assert snapshot(source_book) == before


@pytest.mark.django_db
def test_a_rating_sent_without_stars_asks_for_them(reader_client, source_book):
    url = book_url(source_book)
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "3.5"})
    before = snapshot(source_book)

    response = post(reader_client, "reviews:rate", source_book.pk, {}, next_url=url)

    assert response.status_code == 303
    assert last_message(response) == (
        "Choose a rating from half a star to five stars. Your rating was not changed."
    )
    assert snapshot(source_book) == before


# Shelves


@pytest.mark.django_db
def test_shelving_moves_the_reading_counts(reader_client, reader, source_book):
    url = book_url(source_book)

    response = post(
        reader_client, "reviews:shelve", source_book.pk, {"shelf": "want_to_read"}, next_url=url
    )
    assert response.status_code == 303
    assert last_message(response) == "This book is on your “Want to read” shelf."
    html = text_of(reader_client.get(url))
    assert totals(html)["want_to_read"] == SOURCE_WANT_TO_READ + 1
    assert totals(html)["currently_reading"] == SOURCE_CURRENTLY_READING
    assert 'value="to-read" class="shelf-button" aria-pressed="true"' in html

    post(reader_client, "reviews:shelve", source_book.pk, {"shelf": "currently_reading"})
    html = text_of(reader_client.get(url))
    assert totals(html)["currently_reading"] == 87
    assert "87 people are currently reading" in html
    assert totals(html)["want_to_read"] == SOURCE_WANT_TO_READ
    assert 'value="currently-reading" class="shelf-button" aria-pressed="true"' in html
    assert ShelfEntry.objects.get(user=reader).shelf.kind == "currently_reading"

    post(reader_client, "reviews:shelve", source_book.pk, {"shelf": "read"})
    html = text_of(reader_client.get(url))
    assert totals(html)["currently_reading"] == SOURCE_CURRENTLY_READING
    assert totals(html)["want_to_read"] == SOURCE_WANT_TO_READ
    assert ShelfEntry.objects.get(user=reader).shelf.kind == "read"
    assert recount(fix=False) == []

    response = post(reader_client, "reviews:unshelve", source_book.pk, next_url=url)
    assert last_message(response) == "This book was taken off your shelves."
    html = text_of(reader_client.get(url))
    assert "Take off my shelves" not in html
    assert 'aria-pressed="true"' not in html
    assert not ShelfEntry.objects.exists()
    assert recount(fix=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("shelf", ["favourites", "", "READ", "want to read"])
def test_a_shelf_that_does_not_exist_changes_nothing(reader_client, source_book, shelf):
    url = book_url(source_book)
    post(reader_client, "reviews:shelve", source_book.pk, {"shelf": "currently_reading"})
    before = snapshot(source_book)

    response = post(reader_client, "reviews:shelve", source_book.pk, {"shelf": shelf}, next_url=url)

    assert response.status_code == 303
    assert last_message(response) == "There is no such shelf. Your shelves were not changed."
    assert snapshot(source_book) == before


# Reviews


@pytest.mark.django_db
def test_a_review_appears_at_once_with_its_writer_and_moves_the_total(
    reader_client, reader, source_book
):
    url = book_url(source_book)
    response = post(
        reader_client,
        "reviews:review-create",
        source_book.pk,
        {"body": "A fiery testament to political conscience.", "rating": "5"},
        next_url=url,
    )
    review = Review.objects.get(user=reader, book=source_book)
    assert response.status_code == 303
    assert response["Location"] == f"{url}#review-{review.pk}"
    assert last_message(response) == "Your review was posted."

    html = text_of(reader_client.get(url))
    assert totals(html)["reviews"] == SOURCE_REVIEWS + 1
    assert f"of 27 reviews on Shelfmark ({SOURCE_REVIEWS + 1} in all;" in html
    assert reviewer_names(html)[0] == reader.username
    assert f'<a class="reviewer" href="{reader.get_absolute_url()}">{reader.username}</a>' in html
    assert "A fiery testament to political conscience." in html
    assert histogram(html)[5][0] == SOURCE_STARS[4] + 1
    assert review.rating == 5
    assert review.language == "en"
    # The reader's own review offers changes, not a like button.
    assert reverse("reviews:review-edit", kwargs={"pk": review.pk}) in html
    assert reverse("reviews:like", kwargs={"pk": review.pk}) not in html
    assert "Write a review" not in html
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_a_spoiler_review_is_folded(reader_client, source_book):
    post(
        reader_client,
        "reviews:review-create",
        source_book.pk,
        {"body": "Serge escapes to Mexico in the end.", "spoiler": "on"},
    )
    html = text_of(reader_client.get(book_url(source_book)))
    review = Review.objects.get(body="Serge escapes to Mexico in the end.")
    assert review.spoiler is True
    article = html[html.index(f'id="review-{review.pk}"') :]
    article = article[: article.index("</article>")]
    assert '<details class="spoiler">' in article


@pytest.mark.django_db
def test_a_review_keeps_a_rating_given_before_it(reader_client, reader, source_book):
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "3"})
    form_html = text_of(reader_client.get(book_url(source_book)))
    assert '<option value="3" selected>3 stars</option>' in form_html

    post(
        reader_client,
        "reviews:review-create",
        source_book.pk,
        {"body": "Slow in the middle.", "rating": "3"},
    )
    assert Review.objects.get(user=reader).rating == 3
    assert Rating.objects.get(user=reader).stars == 3
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_writing_a_second_review_updates_the_first(reader_client, reader, source_book):
    post(reader_client, "reviews:review-create", source_book.pk, {"body": "First thoughts."})
    response = post(
        reader_client, "reviews:review-create", source_book.pk, {"body": "Second thoughts."}
    )
    assert response.status_code == 303
    assert last_message(response) == "You had already reviewed this book: your review was updated."
    assert list(Review.objects.filter(user=reader).values_list("body", flat=True)) == [
        "Second thoughts."
    ]
    html = text_of(reader_client.get(book_url(source_book)))
    assert totals(html)["reviews"] == SOURCE_REVIEWS + 1
    # The write page leads to the edit page once a review exists.
    review = Review.objects.get(user=reader)
    response = reader_client.get(reverse("reviews:review-create", kwargs={"pk": source_book.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review-edit", kwargs={"pk": review.pk})
    assert recount(fix=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": ""}, "Write something before you post your review."),
        ({"body": "   \n  "}, "Write something before you post your review."),
        ({"body": "Fine.", "rating": "5.5"}, NOT_A_RATING),
        ({"body": "Fine.", "rating": "0"}, NOT_A_RATING),
        ({"body": "Fine.", "rating": "3.3"}, NOT_A_RATING),
        ({"body": "Fine.", "rating": "abc"}, NOT_A_RATING),
    ],
)
def test_a_bad_review_is_shown_again_with_its_errors(reader_client, source_book, data, error):
    before = snapshot(source_book)
    response = post(
        reader_client, "reviews:review-create", source_book.pk, data, next_url="/books/?page=2"
    )
    assert response.status_code == 400
    html = text_of(response)
    assert error in unescape(html)
    assert '<input type="hidden" name="next" value="/books/?page=2">' in html
    if data["body"].strip():
        assert data["body"] in html  # nothing the reader typed is lost
    assert snapshot(source_book) == before


@pytest.mark.django_db
def test_editing_a_review_on_its_page(reader_client, reader, source_book):
    url = book_url(source_book)
    post(
        reader_client,
        "reviews:review-create",
        source_book.pk,
        {"body": "First thoughts.", "rating": "4"},
    )
    review = Review.objects.get(user=reader)
    edit_url = reverse("reviews:review-edit", kwargs={"pk": review.pk})

    page = reader_client.get(edit_url, {"next": f"{url}?sort=newest"})
    assert page.status_code == 200
    html = text_of(page)
    assert "First thoughts." in html
    assert '<option value="4" selected>4 stars</option>' in html
    assert f'name="next" value="{url}?sort=newest"' in html

    response = reader_client.post(
        edit_url,
        {
            "body": "Second thoughts, Italian: ottima lettura.",
            "rating": "2",
            "spoiler": "on",
            "next": f"{url}?sort=newest",
        },
    )
    assert response.status_code == 303
    assert response["Location"] == f"{url}?sort=newest#review-{review.pk}"
    assert last_message(response) == "Your review was updated."
    review.refresh_from_db()
    assert (review.body, review.rating, review.spoiler) == (
        "Second thoughts, Italian: ottima lettura.",
        2,
        True,
    )
    html = text_of(reader_client.get(url))
    assert histogram(html)[2][0] == SOURCE_STARS[1] + 1
    assert histogram(html)[4][0] == SOURCE_STARS[3]

    # Choosing "No rating" takes the rating away.
    reader_client.post(edit_url, {"body": "Second thoughts.", "rating": ""})
    review.refresh_from_db()
    assert review.rating is None
    assert not Rating.objects.filter(user=reader).exists()
    assert totals(text_of(reader_client.get(url)))["ratings"] == sum(SOURCE_STARS)

    response = reader_client.post(edit_url, {"body": ""})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.body == "Second thoughts."
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_deleting_a_review_after_confirming(reader_client, reader, source_book):
    url = book_url(source_book)
    post(
        reader_client,
        "reviews:review-create",
        source_book.pk,
        {"body": "Soon gone.", "rating": "5"},
    )
    review = Review.objects.get(user=reader)
    delete_url = reverse("reviews:review-delete", kwargs={"pk": review.pk})

    confirm = reader_client.get(delete_url, {"next": url})
    assert confirm.status_code == 200
    assert "Delete your review?" in text_of(confirm)
    assert Review.objects.filter(pk=review.pk).exists()  # a GET deletes nothing

    response = reader_client.post(delete_url, {"next": url})
    assert response.status_code == 303
    assert response["Location"] == f"{url}#your-reading"
    assert last_message(response) == "Your review was deleted."
    assert not Review.objects.filter(pk=review.pk).exists()
    html = text_of(reader_client.get(url))
    assert totals(html)["reviews"] == SOURCE_REVIEWS
    assert "Soon gone." not in html
    assert "Write a review" in html
    # The rating stays: it belongs to the reader's reading, not to the review.
    assert Rating.objects.get(user=reader).stars == 5
    assert recount(fix=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["reviews:review-edit", "reviews:review-delete"])
def test_only_the_writer_may_change_a_review(reader_client, source_book, other_review, action):
    url = reverse(action, kwargs={"pk": other_review.pk})
    before = snapshot(source_book)
    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url, {"body": "Taken over.", "rating": "1"}).status_code == 404
    assert snapshot(source_book) == before
    # An imported review belongs to nobody here.
    imported = Review.objects.filter(book=source_book, user__isnull=True).first()
    imported_url = reverse(action, kwargs={"pk": imported.pk})
    assert reader_client.get(imported_url).status_code == 404
    assert reader_client.post(imported_url, {"body": "Taken over."}).status_code == 404
    assert snapshot(source_book) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('owned')</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">read more</a>',
        "<b onmouseover=alert(1)>bold</b> & <iframe src=//evil.example></iframe>",
    ],
)
def test_what_a_reader_types_is_shown_as_text(reader_client, client, source_book, body):
    post(reader_client, "reviews:review-create", source_book.pk, {"body": body})
    review = Review.objects.get(body=body)
    for viewer in (client, reader_client):
        html = text_of(viewer.get(book_url(source_book)))
        article = html[html.index(f'id="review-{review.pk}"') :]
        article = article[: article.index("</article>")]
        body_html = re.search(r'<div class="review-body"[^>]*>(.*?)</div>', article, re.DOTALL)
        assert body_html is not None
        # Every angle bracket the reader typed arrives escaped: no element, no attribute.
        assert "<" not in body_html.group(1).replace("<p>", "").replace("</p>", "")
        assert unescape(body_html.group(1)) == f"<p>{body}</p>"
    edit = text_of(reader_client.get(reverse("reviews:review-edit", kwargs={"pk": review.pk})))
    assert body not in edit
    assert "<script>alert" not in edit
    assert 'href="javascript:' not in html
    assert "<img src=" not in html


# Likes


@pytest.mark.django_db
def test_liking_and_unliking_another_readers_review(reader_client, source_book, other_review):
    url = f"{book_url(source_book)}?sort=likes"
    like_url = reverse("reviews:like", kwargs={"pk": other_review.pk})
    unlike_url = reverse("reviews:unlike", kwargs={"pk": other_review.pk})
    html = text_of(reader_client.get(url))
    assert f'action="{like_url}"' in html

    response = reader_client.post(like_url, {"next": url})
    assert response.status_code == 303
    assert response["Location"] == f"{url}#review-{other_review.pk}"
    other_review.refresh_from_db()
    assert other_review.likes_count == 1
    html = text_of(reader_client.get(url))
    article = html[html.index(f'id="review-{other_review.pk}"') :]
    article = article[: article.index("</article>")]
    assert '<span class="likes-count">1 like</span>' in article
    assert f'action="{unlike_url}"' in article
    assert 'aria-pressed="true">Liked</button>' in article

    reader_client.post(like_url)  # a second like counts once
    other_review.refresh_from_db()
    assert other_review.likes_count == 1

    reader_client.post(unlike_url, {"next": url})
    other_review.refresh_from_db()
    assert other_review.likes_count == 0
    html = text_of(reader_client.get(url))
    article = html[html.index(f'id="review-{other_review.pk}"') :]
    article = article[: article.index("</article>")]
    assert '<span class="likes-count">0 likes</span>' in article
    assert f'action="{like_url}"' in article
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_liking_an_imported_review(reader_client, source_book):
    imported = Review.objects.filter(book=source_book, user__isnull=True).first()
    reader_client.post(reverse("reviews:like", kwargs={"pk": imported.pk}))
    imported.refresh_from_db()
    assert imported.likes_count == 1
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_a_reader_cannot_like_their_own_review(other_reader, source_book, other_review):
    client = Client()
    client.force_login(other_reader)
    url = book_url(source_book)
    response = client.post(reverse("reviews:like", kwargs={"pk": other_review.pk}), {"next": url})
    assert response.status_code == 303
    assert last_message(response) == "You cannot like your own review."
    other_review.refresh_from_db()
    assert other_review.likes_count == 0
    assert not Like.objects.exists()


@pytest.mark.django_db
def test_a_hidden_review_cannot_be_liked(reader_client, source_book, other_review):
    services.review_set_hidden(review=other_review, hidden=True)
    response = reader_client.post(reverse("reviews:like", kwargs={"pk": other_review.pk}))
    assert response.status_code == 404
    assert not Like.objects.exists()
    other_review.refresh_from_db()
    assert other_review.likes_count == 0


@pytest.mark.django_db
def test_likes_answer_the_pages_script_in_json(reader_client, reader, other_review):
    like_url = reverse("reviews:like", kwargs={"pk": other_review.pk})
    response = reader_client.post(like_url, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"liked": True, "likes_count": 1, "message": "You liked this review."}
    response = reader_client.post(
        reverse("reviews:unlike", kwargs={"pk": other_review.pk}),
        headers={"accept": "application/json"},
    )
    assert response.json()["likes_count"] == 0
    own = services.review_create(user=reader, book=other_review.book, body="Mine, all mine.")
    response = reader_client.post(
        reverse("reviews:like", kwargs={"pk": own.pk}), headers={"accept": "application/json"}
    )
    assert response.status_code == 403
    assert response.json()["likes_count"] == 0


# Visitors, redirects and the rest


@pytest.mark.django_db
def test_visitors_see_everything_and_a_prompt_instead_of_controls(client, source_book):
    url = book_url(source_book)
    html = text_of(client.get(url))
    assert totals(html) == {
        "average": Decimal("4.45"),
        "ratings": sum(SOURCE_STARS),
        "reviews": SOURCE_REVIEWS,
        "currently_reading": SOURCE_CURRENTLY_READING,
        "want_to_read": SOURCE_WANT_TO_READ,
    }
    assert f'href="{reverse("account_signup")}?next={url}">Sign up</a>' in html
    assert f'href="{reverse("account_login")}?next={url}">sign in</a>' in html
    assert "to rate, shelve and review this book" in html
    assert 'method="post"' not in html
    for name in ("reviews:rate", "reviews:shelve", "reviews:review-create"):
        assert reverse(name, kwargs={"pk": source_book.pk}) not in html
    assert 'action="/reviews/' not in html


@pytest.mark.django_db
def test_visitors_posts_change_nothing_and_lead_to_sign_in(
    client, source_book, other_review, other_reader
):
    before = snapshot(source_book)
    attempts = [
        ("reviews:rate", source_book.pk, {"stars": "5"}),
        ("reviews:unrate", source_book.pk, {}),
        ("reviews:shelve", source_book.pk, {"shelf": "read"}),
        ("reviews:unshelve", source_book.pk, {}),
        ("reviews:review-create", source_book.pk, {"body": "Anonymous words."}),
        ("reviews:review-edit", other_review.pk, {"body": "Defaced."}),
        ("reviews:review-delete", other_review.pk, {}),
        ("reviews:like", other_review.pk, {}),
        ("reviews:unlike", other_review.pk, {}),
    ]
    login = reverse("account_login")
    for name, pk, data in attempts:
        response = post(client, name, pk, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith(f"{login}?next="), name
    assert snapshot(source_book) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reviews:rate", "reviews:shelve", "reviews:unrate"])
def test_reader_actions_are_posts_only(reader_client, source_book, name):
    before = snapshot(source_book)
    response = reader_client.get(reverse(name, kwargs={"pk": source_book.pk}), {"stars": "5"})
    assert response.status_code == 405
    assert snapshot(source_book) == before


@pytest.mark.django_db
def test_every_form_carries_its_csrf_token_and_posts_without_it_are_refused(
    reader, source_book, other_review
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = text_of(client.get(book_url(source_book)))
    forms = re.findall(r'<form method="post".*?</form>', html, re.DOTALL)
    assert len(forms) >= 6  # rating, shelf, write a review, like, sign out...
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form

    before = snapshot(source_book)
    response = client.post(reverse("reviews:rate", kwargs={"pk": source_book.pk}), {"stars": 5})
    assert response.status_code == 403
    assert snapshot(source_book) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        (
            "/books/{pk}/?language=it&sort=newest&page=2",
            "/books/{pk}/?language=it&sort=newest&page=2#your-reading",
        ),
        ("/books/{pk}/#reviews", "/books/{pk}/#reviews"),
        ("https://evil.example/phish", "/books/{pk}/#your-reading"),
        ("//evil.example/phish", "/books/{pk}/#your-reading"),
        ("javascript:alert(1)", "/books/{pk}/#your-reading"),
        ("", "/books/{pk}/#your-reading"),
    ],
)
def test_after_a_post_the_reader_goes_back_where_they_were_if_it_is_safe(
    reader_client, source_book, next_url, expected
):
    response = post(
        reader_client,
        "reviews:shelve",
        source_book.pk,
        {"shelf": "read"},
        next_url=next_url.format(pk=source_book.pk),
    )
    assert response.status_code == 303
    assert response["Location"] == expected.format(pk=source_book.pk)


@pytest.mark.django_db
def test_the_page_a_reader_posts_from_keeps_its_filters(reader_client, source_book):
    url = f"{book_url(source_book)}?language=it&sort=oldest"
    html = text_of(reader_client.get(url))
    next_field = '<input type="hidden" name="next" value="{}?language=it&amp;sort=oldest">'
    assert next_field.format(book_url(source_book)) in html


@pytest.mark.django_db
def test_a_sequence_of_actions_by_several_readers_keeps_counters_and_rows_equal(
    reader_client, other_reader, source_book
):
    client = Client()
    client.force_login(other_reader)
    post(reader_client, "reviews:rate", source_book.pk, {"stars": "2"})
    post(client, "reviews:rate", source_book.pk, {"stars": "5"})
    post(reader_client, "reviews:shelve", source_book.pk, {"shelf": "currently_reading"})
    post(client, "reviews:shelve", source_book.pk, {"shelf": "want_to_read"})
    post(reader_client, "reviews:review-create", source_book.pk, {"body": "Mine.", "rating": "3"})
    post(client, "reviews:review-create", source_book.pk, {"body": "Theirs."})
    mine = Review.objects.get(body="Mine.")
    theirs = Review.objects.get(body="Theirs.")
    post(reader_client, "reviews:like", theirs.pk)
    post(client, "reviews:like", mine.pk)
    post(client, "reviews:like", theirs.pk)  # refused: their own
    post(reader_client, "reviews:shelve", source_book.pk, {"shelf": "read"})
    assert recount(fix=False) == []

    html = text_of(reader_client.get(book_url(source_book)))
    counts = list(SOURCE_STARS)
    counts[2] += 1  # the reader's 2 became 3 with the review
    counts[4] += 1
    assert [histogram(html)[s][0] for s in range(1, 6)] == counts
    assert totals(html)["average"] == expected_average(counts)
    assert totals(html)["reviews"] == SOURCE_REVIEWS + 2
    assert totals(html)["currently_reading"] == SOURCE_CURRENTLY_READING
    assert totals(html)["want_to_read"] == SOURCE_WANT_TO_READ + 1

    post(reader_client, "reviews:review-delete", mine.pk)
    post(client, "reviews:unrate", source_book.pk)
    post(client, "reviews:unshelve", source_book.pk)
    assert recount(fix=False) == []
    theirs.refresh_from_db()
    assert theirs.likes_count == 1
    assert Book.objects.get(pk=source_book.pk).reviews_total == SOURCE_REVIEWS + 1


# Query budgets of the review pages


@pytest.mark.django_db
def test_the_review_pages_cost_a_fixed_number_of_queries(
    reader_client, reader, source_book, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert (
            reader_client.get(
                reverse("reviews:review-create", kwargs={"pk": source_book.pk})
            ).status_code
            == 200
        )
    review = services.review_create(user=reader, book=source_book, body="Worth it.")
    for name in ("reviews:review-edit", "reviews:review-delete"):
        with django_assert_max_num_queries(4):
            assert reader_client.get(reverse(name, kwargs={"pk": review.pk})).status_code == 200
