"""Re-key imported reviews by their date and first words.

The key was the reviewer's name and the date, or, for a reviewer the page does not name, their
figures ("209 reviews4 followers") and the date; those figures change between two copies of a
page, so a later copy added the review a second time. The new key is made of what every copy
shows alike. The function is a copy of ``reviews.goodreads.page.review_source_key`` as it is
now, so that this migration keeps doing the same whatever becomes of that one.
"""

import hashlib
import unicodedata

from django.db import migrations

WORDS = 30


def review_source_key(date, body):
    words = " ".join(unicodedata.normalize("NFC", body).casefold().split()[:WORDS])
    digest = hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]
    return f"{date.isoformat()}|{digest}"


def old_source_key(review):
    reviewer = review.imported_reviewer
    if reviewer.name:
        return f"{reviewer.name}|{review.date.isoformat()}"
    return f"|{reviewer.reviews_count}|{reviewer.followers_count}|{review.date.isoformat()}"


def _rekey(apps, key_for):
    Review = apps.get_model("reviews", "Review")
    reviews = (
        Review.objects.exclude(source_key="")
        .filter(imported_reviewer__isnull=False)
        .select_related("imported_reviewer")
        .order_by("book_id", "position", "pk")
    )
    taken = set(reviews.values_list("book_id", "source_key"))
    for review in reviews.iterator(chunk_size=500):
        key = key_for(review)
        if key == review.source_key or (review.book_id, key) in taken:
            continue  # two reviews with the same date and words: the later one keeps its key
        taken.discard((review.book_id, review.source_key))
        taken.add((review.book_id, key))
        review.source_key = key
        review.save(update_fields=["source_key"])


def forwards(apps, schema_editor):
    _rekey(apps, lambda review: review_source_key(review.date, review.body))


def backwards(apps, schema_editor):
    _rekey(apps, old_source_key)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_perf_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
