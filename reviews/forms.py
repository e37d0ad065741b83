from django import forms

from books.models import STARS

from .models import MAX_REVIEW_LENGTH, ShelfEntry

STAR_CHOICES = [(stars, f"{stars} star{'s' if stars > 1 else ''}") for stars in STARS]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(choices=STAR_CHOICES, coerce=int)


class ShelfForm(forms.Form):
    shelf = forms.ChoiceField(choices=ShelfEntry.Shelf.choices)


class ReviewForm(forms.Form):
    body = forms.CharField(
        label="Your review",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_REVIEW_LENGTH,
        error_messages={
            "required": "Write something before you post your review.",
            "max_length": (
                f"A review can be at most {MAX_REVIEW_LENGTH:,} characters long; "
                "this one has %(show_value)s. Shorten it and post it again."
            ),
        },
    )
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=[("", "No rating"), *STAR_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    spoiler = forms.BooleanField(label="This review contains spoilers", required=False)

    def __init__(self, *args, **kwargs):
        # Its fields share names with the review filters on the same page; their ids must not.
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)
