import datetime

from django import forms
from django.utils import timezone

from .models import (
    CHALLENGE_MAX_BOOKS,
    HALF_STARS,
    MAX_OWNED_COPIES,
    MAX_PRIVATE_NOTES_LENGTH,
    MAX_REVIEW_LENGTH,
    SHELF_NAME_MAX_LENGTH,
    NotAStarRating,
    ProgressUpdate,
    Shelf,
    half_stars,
    stars_figure,
)


def stars_words(stars) -> str:
    """ "3.5 stars", "1 star"."""
    figure = stars_figure(stars)
    return f"{figure} star{'' if figure == '1' else 's'}"


# The ten ratings, half a star first, as a form sends them ("3.5") and a reader hears them.
STAR_CHOICES = [(stars_figure(stars), stars_words(stars)) for stars in HALF_STARS]
NOT_A_RATING = "A rating is from half a star to five stars, in half stars."


class StarsField(forms.TypedChoiceField):
    """One of the ten ratings, as a Decimal (3.5); anything else is refused with one message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", STAR_CHOICES)
        super().__init__(
            coerce=half_stars,
            error_messages={"invalid_choice": NOT_A_RATING, "required": NOT_A_RATING},
            **kwargs,
        )

    def prepare_value(self, value):
        # The stored 4.0 is the choice "4"; what a reader sent is shown back as it came.
        try:
            return stars_figure(half_stars(value))
        except NotAStarRating:
            return value


class ShelfForm(forms.Form):
    """One of the reader's exclusive shelves, by its address ("read", "did-not-finish"); the
    built-in ones also by their kind ("want_to_read"), as the book page once sent them."""

    shelf = forms.CharField(max_length=SHELF_NAME_MAX_LENGTH)

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_shelf(self) -> Shelf | str:
        value = self.cleaned_data["shelf"]
        kinds = {slug: kind for kind, slug in Shelf.BUILT_IN.items()}
        if value in Shelf.BUILT_IN or value in kinds:
            return kinds.get(value, value)
        shelf = Shelf.objects.filter(user=self.reader, slug=value, exclusive=True).first()
        if shelf is None:
            raise forms.ValidationError("There is no such shelf.")
        return shelf


class TagsForm(forms.Form):
    """The reader's tags a book carries (the ones not ticked are taken off)."""

    tags = forms.ModelMultipleChoiceField(queryset=Shelf.objects.none(), required=False)

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Shelf.objects.filter(user=reader, exclusive=False)
        self.fields["tags"].to_field_name = "slug"


class ShelfNameForm(forms.Form):
    """A name for a shelf of the reader's own; the service says why a name cannot be used."""

    name = forms.CharField(
        label="Name",
        strip=True,
        error_messages={"required": "A shelf needs a name."},
        widget=forms.TextInput(attrs={"maxlength": SHELF_NAME_MAX_LENGTH}),
    )


class ShelfCreateForm(ShelfNameForm):
    exclusive = forms.TypedChoiceField(
        label="Kind",
        choices=[
            ("", "A tag: a book can carry many"),
            ("1", "Exclusive: it holds a book in place of “Read” and the others"),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )


class CopiesForm(forms.Form):
    """A shelved book's owned copies and the reader's private notes on it."""

    owned_copies = forms.IntegerField(
        label="Copies you own",
        min_value=0,
        max_value=MAX_OWNED_COPIES,
        error_messages={
            "invalid": "Give the number of copies you own as a whole number.",
            "required": "Give the number of copies you own (0 for none).",
            "min_value": f"Copies you own are from 0 to {MAX_OWNED_COPIES:,}.",
            "max_value": f"Copies you own are from 0 to {MAX_OWNED_COPIES:,}.",
        },
    )
    private_notes = forms.CharField(
        label="Private notes",
        help_text="Only you see these: not on your profile, your library or anyone's page.",
        required=False,
        max_length=MAX_PRIVATE_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_copies_%s")
        super().__init__(*args, **kwargs)


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
    rating = StarsField(
        label="Your rating",
        choices=[("", "No rating"), *STAR_CHOICES],
        required=False,
        empty_value=None,
    )
    spoiler = forms.BooleanField(label="This review contains spoilers", required=False)
    date = forms.DateField(
        label="Reviewed on",
        required=False,
        help_text="Today if you leave it empty; not a day still to come.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as year, month and day."},
    )

    def clean_date(self) -> datetime.date | None:
        date = self.cleaned_data["date"]
        if date is not None and date > timezone.localdate():
            raise forms.ValidationError(
                f"{date:%B %-d, %Y} has not come yet: a review is dated today or before."
            )
        return date

    def __init__(self, *args, **kwargs):
        # Its fields share names with the review filters on the same page; their ids must not.
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()


class ProgressForm(forms.Form):
    """Where the reader is: a number, read as a page or a percentage. The service says what
    is wrong with a number that does not fit the book."""

    amount = forms.IntegerField(label="Where you are")
    unit = forms.ChoiceField(
        label="Counted in",
        choices=[("page", "page"), ("percent", "percent")],
        initial="page",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note (optional, shown with your progress)",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": ProgressUpdate.NOTE_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_progress_%s")
        super().__init__(*args, **kwargs)


class SessionDatesForm(forms.Form):
    started_on = forms.DateField(
        label="Started", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        label="Finished", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ChallengeForm(forms.Form):
    books = forms.IntegerField(label="Books to read", min_value=1, max_value=CHALLENGE_MAX_BOOKS)
    pages = forms.IntegerField(label="Pages to read (optional)", min_value=1, required=False)
