"""A signed-out reader (or one whose session expired) who clicks a star, a shelf or a like
signs in and lands back on the page they clicked on, told to click again: never on the
action's address, which takes only a POST."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Rating

PASSWORD = "a-long-passphrase-1"  # the `reader` fixture's


@pytest.fixture
def their_review(source_book, other_reader):
    return services.review_create(user=other_reader, book=source_book, body="Stirring.")


def click_then_sign_in(client, action_url: str, data: dict, referer: str | None):
    headers = {"referer": f"http://testserver{referer}"} if referer else {}
    sent = client.post(action_url, data, headers=headers)
    assert sent.status_code == 302
    login_page = client.get(sent["Location"])
    assert login_page.status_code == 200
    next_url = login_page.context["redirect_field_value"]
    signed_in = client.post(
        reverse("account_login"), {"login": "ada", "password": PASSWORD, "next": next_url}
    )
    assert signed_in.status_code == 302
    return signed_in["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "to_do"),
    [
        ("reviews:rate", {"stars": "4"}, "rate this book"),
        ("reviews:shelve", {"shelf": "read"}, "shelve this book"),
        ("reviews:unrate", {}, "remove your rating"),
    ],
)
@pytest.mark.parametrize("with_referer", [True, False])
def test_after_signing_in_the_reader_is_back_on_the_book_page(
    client, reader, source_book, name, data, to_do, with_referer
):
    book_page = source_book.get_absolute_url()

    landed = click_then_sign_in(
        client, reverse(name, args=[source_book.pk]), data, book_page if with_referer else None
    )
    page = client.get(landed)

    assert landed == book_page
    assert page.status_code == 200
    assert f"Signed in: click again to {to_do}." in page.text
    assert not Rating.objects.filter(user=reader).exists()  # the click itself did nothing


@pytest.mark.django_db
def test_a_like_from_an_expired_session_leads_back_to_the_review(
    client, reader, source_book, their_review
):
    client.force_login(reader)
    client.logout()  # as an expired session leaves the browser
    page = f"{source_book.get_absolute_url()}?sort=newest"

    landed = click_then_sign_in(client, reverse("reviews:like", args=[their_review.pk]), {}, page)

    assert landed == page
    assert "Signed in: click again to like this review." in client.get(landed).text


@pytest.mark.django_db
def test_without_a_referer_a_like_leads_back_to_the_reviews_book(
    client, reader, source_book, their_review
):
    landed = click_then_sign_in(client, reverse("reviews:like", args=[their_review.pk]), {}, None)

    assert landed == source_book.get_absolute_url()


@pytest.mark.django_db
def test_a_referer_from_elsewhere_is_not_followed(client, reader, source_book):
    sent = client.post(
        reverse("reviews:rate", args=[source_book.pk]),
        {"stars": "4"},
        headers={"referer": "https://evil.example/"},
    )

    assert sent["Location"] == (f"{reverse('account_login')}?next={source_book.get_absolute_url()}")


@pytest.mark.django_db
def test_signing_in_without_a_pending_click_says_nothing_about_clicking(client, reader):
    client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})

    assert "click again" not in client.get(reverse("home")).text
