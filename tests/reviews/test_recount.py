from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from books.models import Book, damped_average
from reviews import services
from reviews.models import Review

pytestmark = pytest.mark.django_db


def recount(*args, **options) -> str:
    out = StringIO()
    call_command("recount", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def busy_book(source_book, reader, other_reader):
    """The source book after readers rated, shelved, reviewed, liked and an admin hid one."""
    services.rating_set(user=reader, book=source_book, stars=5)
    services.rating_set(user=other_reader, book=source_book, stars=2)
    services.rating_set(user=other_reader, book=source_book, stars=3)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    services.shelf_set(user=other_reader, book=source_book, shelf="currently_reading")
    services.shelf_set(user=other_reader, book=source_book, shelf="want_to_read")
    review = services.review_create(user=reader, book=source_book, body="A brave life.")
    services.like_add(user=other_reader, review=review)
    imported = source_book.reviews.filter(user__isnull=True).order_by("position")
    services.like_add(user=reader, review=imported[0])
    services.like_add(user=other_reader, review=imported[0])
    services.like_remove(user=reader, review=imported[0])
    services.review_set_hidden(review=imported[1], hidden=True)
    services.rating_remove(user=reader, book=source_book)
    services.rating_set(user=reader, book=source_book, stars=4)
    return Book.objects.get(pk=source_book.pk)


def test_a_clean_database_has_no_drift(busy_book):
    output = recount()

    assert output == "No drift: every counter matches its rows.\n"
    assert recount("--check") == output


def test_drift_is_reported_and_repaired(busy_book):
    stored = busy_book.ratings_4
    Book.objects.filter(pk=busy_book.pk).update(ratings_4=F("ratings_4") + 7)
    review = Review.objects.get(user__isnull=False)
    Review.objects.filter(pk=review.pk).update(likes_count=9)

    output = recount()

    assert f"book {busy_book.pk} ratings_4: stored {stored + 7}, rows say {stored}\n" in output
    assert f"review {review.pk} likes_count: stored 9, rows say 1\n" in output
    assert output.endswith("Repaired 2 drifted counters on 2 rows.\n")
    assert Book.objects.get(pk=busy_book.pk).ratings_4 == stored
    assert Review.objects.get(pk=review.pk).likes_count == 1
    assert recount() == "No drift: every counter matches its rows.\n"


def test_check_reports_without_writing_and_fails(busy_book):
    Book.objects.filter(pk=busy_book.pk).update(reviews_count=F("reviews_count") + 1)
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("recount", "--check", stdout=out)

    assert raised.value.returncode == 1
    assert str(raised.value) == "1 drifted counter on 1 row; nothing written."
    stored = busy_book.reviews_count + 1
    assert (
        f"book {busy_book.pk} reviews_count: stored {stored}, rows say {stored - 1}\n"
        in out.getvalue()
    )
    assert Book.objects.get(pk=busy_book.pk).reviews_count == stored


def test_book_limits_the_repair(busy_book):
    other = Book.objects.create(title="Conquered City")
    Book.objects.filter(pk__in=[busy_book.pk, other.pk]).update(want_to_read_count=5)

    output = recount("--book", str(other.pk))

    assert output == (
        f"book {other.pk} want_to_read_count: stored 5, rows say 0\n"
        "Repaired 1 drifted counter on 1 row.\n"
    )
    assert Book.objects.get(pk=other.pk).want_to_read_count == 0
    assert Book.objects.get(pk=busy_book.pk).want_to_read_count == 5


def test_an_unknown_book_is_refused(busy_book):
    with pytest.raises(CommandError, match="No book with id 999999"):
        recount("--book", "999999")


def test_verbosity(busy_book):
    assert recount("--check", verbosity=2).startswith("Counting the rows of every book")
    Book.objects.filter(pk=busy_book.pk).update(read_count=0)

    assert recount(verbosity=0) == ""
    assert Book.objects.get(pk=busy_book.pk).read_count == 1


def test_the_work_does_not_grow_with_books(source_book, reader):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            recount()
        return len(captured)

    Book.objects.bulk_create(Book(title=f"Book {n}") for n in range(3))
    few = queries()
    Book.objects.bulk_create(Book(title=f"More {n}") for n in range(40))
    services.rating_set(user=reader, book=Book.objects.last(), stars=4)
    Book.objects.update(ratings_1=2)

    assert queries() == few + 1  # the repair: one bulk UPDATE for every drifted book
    assert queries() == few


def test_readers_counters_are_repaired_with_their_books(busy_book, reader, django_user_model):
    readers = django_user_model.objects.filter(pk=reader.pk)
    readers.update(ratings_count=8)

    output = recount("--book", str(busy_book.pk))

    assert f"reader {reader.pk} ratings_count: stored 8, rows say 1\n" in output
    assert output.endswith("Repaired 1 drifted counter on 1 row.\n")
    assert readers.get().ratings_count == 1


def test_the_damped_average_is_kept_and_checked(busy_book):
    assert busy_book.damped_rating == damped_average(
        busy_book.ratings_total, busy_book.average_rating
    )
    Book.objects.filter(pk=busy_book.pk).update(damped_rating=Decimal("4.99"))

    output = recount()

    assert (
        f"book {busy_book.pk} damped_rating: stored 4.99, rows say {busy_book.damped_rating}\n"
        in output
    )
    assert Book.objects.get(pk=busy_book.pk).damped_rating == busy_book.damped_rating
