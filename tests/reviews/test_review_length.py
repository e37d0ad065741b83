"""A review has a clear maximum length, held by the form, the model and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews import services
from reviews.models import MAX_REVIEW_LENGTH, Review

pytestmark = pytest.mark.django_db


def test_the_limit_is_twenty_thousand_characters():
    assert MAX_REVIEW_LENGTH == 20_000


@pytest.mark.parametrize(("length", "posted"), [(MAX_REVIEW_LENGTH, True), (1_000_000, False)])
def test_the_form_takes_a_review_up_to_the_limit(
    reader_client, reader, source_book, length, posted
):
    response = reader_client.post(
        reverse("reviews:review-create", args=[source_book.pk]), {"body": "x" * length}
    )

    assert Review.objects.filter(user=reader).exists() is posted
    if not posted:
        assert response.status_code == 400
        assert "A review can be at most 20,000 characters long; this one has 1000000." in (
            response.text
        )


def test_the_model_refuses_a_longer_review(reader, source_book):
    review = Review(user=reader, book=source_book, body="x" * (MAX_REVIEW_LENGTH + 1))

    with pytest.raises(ValidationError) as refused:
        review.full_clean(exclude=["date"])

    assert "body" in refused.value.message_dict


def test_the_database_refuses_a_longer_review(reader, source_book):
    review = services.review_create(user=reader, book=source_book, body="Short.")

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(body="x" * (MAX_REVIEW_LENGTH + 1))

    Review.objects.filter(pk=review.pk).update(body="x" * MAX_REVIEW_LENGTH)
