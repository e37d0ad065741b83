"""``{% form_field %}`` writes a form's inputs and text areas exactly as Django's widgets do."""

from django import forms

from books.templatetags.catalog import form_field
from reviews.filters import BookReviewFilter
from reviews.forms import CopiesForm, ProgressForm, ReviewForm
from reviews.models import Review


class Plain(forms.Form):
    text = forms.CharField(max_length=20, help_text="Said under it.")
    count = forms.IntegerField(min_value=0, required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "data-x": '"<&>'}))
    ticked = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "hidden": True}))
    off = forms.CharField(disabled=True, required=False, widget=forms.TextInput(attrs={"x": False}))


def assert_drawn_alike(form):
    for field in form:
        assert form_field(field) == str(field), field.name


def test_unbound_and_bound_forms_with_errors_are_drawn_as_django_draws_them():
    assert_drawn_alike(Plain())
    assert_drawn_alike(Plain(initial={"text": "a < b", "ticked": True, "count": 3}))
    bound = Plain(
        {"text": "x" * 30, "count": "-1", "when": "nope", "ticked": "on", "notes": "<b>\n'q'"}
    )
    assert not bound.is_valid()
    assert_drawn_alike(bound)
    assert_drawn_alike(Plain({"text": "", "notes": ""}))


def test_the_book_pages_forms_are_drawn_as_django_draws_them():
    assert_drawn_alike(ReviewForm(initial={"rating": "3.5"}))
    assert_drawn_alike(ReviewForm({"body": "Fine & <good>", "date": "2999-01-01", "spoiler": "on"}))
    assert_drawn_alike(CopiesForm(initial={"owned_copies": 2, "private_notes": "a\n\nb"}))
    assert_drawn_alike(CopiesForm({"owned_copies": "many", "private_notes": '"quoted"'}))
    assert_drawn_alike(ProgressForm())
    assert_drawn_alike(BookReviewFilter({"q": "<love>"}, queryset=Review.objects.none()).form)


def test_other_widgets_are_left_to_django():
    class Choosing(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        shown = forms.CharField(show_hidden_initial=True, initial="x")

    assert_drawn_alike(Choosing())
