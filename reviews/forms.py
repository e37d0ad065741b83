from django import forms

from books.models import STARS

from .models import (
    CHALLENGE_MAX_BOOKS,
    MAX_REVIEW_LENGTH,
    SHELF_NAME_MAX_LENGTH,
    ProgressUpdate,
    Shelf,
)

STAR_CHOICES = [(stars, f"{stars} star{'s' if stars > 1 else ''}") for stars in STARS]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(choices=STAR_CHOICES, coerce=int)


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
