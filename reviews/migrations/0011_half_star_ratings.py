# Ratings in half stars: the whole stars stored so far become the same figures as decimals
# (4 -> 4.0, exactly), books learn the sum of their readers' stars in half stars, and the
# database refuses anything but the ten ratings from 0.5 to 5.

from decimal import Decimal
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def sum_half_stars(apps, schema_editor):
    """Each book's readers' ratings added up in half stars (whole stars still: twice their
    sum), in one UPDATE."""
    Book = apps.get_model("books", "Book")
    Rating = apps.get_model("reviews", "Rating")
    stars = (
        Rating.objects.filter(book=OuterRef("pk"))
        .order_by()
        .values("book")
        .annotate(total=Sum("stars"))
        .values("total")
    )
    Book.objects.filter(pk__in=Rating.objects.values("book")).update(
        ratings_half_stars=Coalesce(Subquery(stars), 0) * 2
    )


def no_half_stars(apps, schema_editor):
    """Going back, the whole stars need no sum (ratings with a half cannot go back)."""


class Migration(migrations.Migration):

    dependencies = [
        ('books', '0012_book_ratings_half_stars'),
        ('reviews', '0010_shelves_as_rows_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(sum_half_stars, no_half_stars, elidable=True),
        migrations.RemoveConstraint(
            model_name='rating',
            name='rating_stars_range',
        ),
        migrations.RemoveConstraint(
            model_name='review',
            name='review_rating_range',
        ),
        migrations.AlterField(
            model_name='rating',
            name='stars',
            field=models.DecimalField(decimal_places=1, max_digits=2),
        ),
        migrations.AlterField(
            model_name='review',
            name='rating',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=2, null=True),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('stars__in', (Decimal('0.5'), Decimal('1'), Decimal('1.5'), Decimal('2'), Decimal('2.5'), Decimal('3'), Decimal('3.5'), Decimal('4'), Decimal('4.5'), Decimal('5')))), name='rating_stars_range'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('rating__isnull', True), ('rating__in', (Decimal('0.5'), Decimal('1'), Decimal('1.5'), Decimal('2'), Decimal('2.5'), Decimal('3'), Decimal('3.5'), Decimal('4'), Decimal('4.5'), Decimal('5'))), _connector='OR'), name='review_rating_range'),
        ),
    ]
