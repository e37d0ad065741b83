from django import forms

from books.models import STARS

from .community import MAX_COMMENT_LENGTH, MAX_REPORT_DETAILS_LENGTH
from .models import (
    CHALLENGE_MAX_BOOKS,
    MAX_REVIEW_LENGTH,
    SHELF_NAME_MAX_LENGTH,
    ProgressUpdate,
    Report,
    Shelf,
)

STAR_CHOICES = [(stars, f"{stars} star{'s' if stars > 1 else ''}") for stars in STARS]


def written_text(what: str, limit: int, *, rows: int) -> forms.CharField:
    """The text of a review or a comment, with errors that say what to do."""
    return forms.CharField(
        label=f"Your {what}",
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=limit,
        error_messages={
            "required": f"Write something before you post your {what}.",
            "max_length": (
                f"A {what} can be at most {limit:,} characters long; "
                "this one has %(show_value)s. Shorten it and post it again."
            ),
        },
    )


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
    body = written_text("review", MAX_REVIEW_LENGTH, rows=8)
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


class CommentForm(forms.Form):
    """A comment on a review, or (with ``parent``) a reply to one of its comments."""

    body = written_text("comment", MAX_COMMENT_LENGTH, rows=3)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for your report."},
    )
    details = forms.CharField(
        label="Anything staff should know (optional)",
        required=False,
        max_length=MAX_REPORT_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
