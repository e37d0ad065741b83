"""The catalog's template pieces: a book's byline and its average as stars."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template

from books.models import Author, Authorship, Book
from reviews.filters import BookReviewFilter
from reviews.models import Review

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load catalog %}" + source).render(Context(context))


@pytest.fixture
def book():
    """A book by two authors, read back as pages read it: authors prefetched."""
    book = Book.objects.create(title="Conquered City")
    serge = Author.objects.create(name="Victor Serge")
    greeman = Author.objects.create(name="Richard Greeman")
    Authorship.objects.create(book=book, author=serge, position=0)
    Authorship.objects.create(book=book, author=greeman, position=1)
    return Book.objects.with_authors().get(pk=book.pk)


def test_the_byline_links_each_author_to_their_page_in_the_books_order(book):
    serge, greeman = (credit.author for credit in book.credits)  # as they were added

    html = render("{% byline book %}", book=book)

    assert html == (
        '<span class="by">by '
        f'<a href="{serge.get_absolute_url()}">Victor Serge</a>, '
        f'<a href="{greeman.get_absolute_url()}">Richard Greeman</a></span>'
    )


def test_the_byline_under_a_title_is_a_paragraph_in_the_same_words(book):
    html = render("{% byline book lead=True %}", book=book)

    assert html.startswith('<p class="byline">by <a href="/books/authors/')
    assert html.endswith(">Richard Greeman</a></p>")
    assert html.count("<a ") == 2


def test_a_book_without_authors_has_no_byline():
    book = Book.objects.with_authors().get(pk=Book.objects.create(title="Anonymous").pk)

    assert render("{% byline book %}", book=book) == ""
    assert render("{% byline book lead=True %}", book=book) == ""


def test_an_authors_name_is_shown_as_text(book):
    Author.objects.filter(name="Victor Serge").update(name='Serge <script>alert(1)</script>"')
    book = Book.objects.with_authors().get(pk=book.pk)

    html = render("{% byline book %}", book=book)

    assert "<script>" not in html
    assert "Serge &lt;script&gt;alert(1)&lt;/script&gt;&quot;</a>" in html


def test_the_byline_reads_only_the_prefetched_authors(book, django_assert_num_queries):
    books = list(Book.objects.with_authors().filter(pk=book.pk)) * 10

    with django_assert_num_queries(0):
        html = render("{% for book in books %}{% byline book %}{% endfor %}", books=books)

    assert html.count("Victor Serge") == 10


def rated(average: str, total: int = 811) -> Book:
    return Book(title="Rated", average_rating=Decimal(average), ratings_total=total)


@pytest.mark.parametrize(
    ("average", "stars"),
    [
        ("4.45", "★★★★☆"),
        ("4.50", "★★★★★"),
        ("1.00", "★☆☆☆☆"),
        ("2.49", "★★☆☆☆"),
    ],
)
def test_the_average_is_drawn_to_the_nearest_whole_star(average, stars):
    html = render("{% average_stars book %}", book=rated(average))

    assert html == (
        f'<span class="stars" role="img" aria-label="{average} of 5 stars">{stars}</span>'
    )


def test_a_book_nobody_rated_says_so():
    html = render("{% average_stars book %}", book=rated("0", total=0))

    assert html == '<span class="stars" role="img" aria-label="No ratings yet">☆☆☆☆☆</span>'


def test_the_average_needs_no_query(django_assert_num_queries, book):
    with django_assert_num_queries(0):
        render("{% average_stars book %}", book=book)


@pytest.fixture
def translated():
    """Ulysses as a Goodreads edition names it: the author, then an introduction's writer
    and an editor, in the page's order."""
    book = Book.objects.create(title="Ulysses")
    for position, (name, role) in enumerate(
        [("James Joyce", ""), ("Seamus Deane", "Introduction"), ("Hans Walter Gabler", "Editor")]
    ):
        Authorship.objects.create(
            book=book, author=Author.objects.create(name=name), position=position, role=role
        )
    return Book.objects.with_authors().get(pk=book.pk)


def test_the_lead_byline_names_everyone_in_order_with_their_parts(translated):
    joyce, deane, gabler = (credit.author for credit in translated.credits)

    html = render("{% byline book lead=True %}", book=translated)

    assert html == (
        '<p class="byline">by '
        f'<a href="{joyce.get_absolute_url()}">James Joyce</a>, '
        f'<a href="{deane.get_absolute_url()}">Seamus Deane</a> '
        '<span class="role">(Introduction)</span>, '
        f'<a href="{gabler.get_absolute_url()}">Hans Walter Gabler</a> '
        '<span class="role">(Editor)</span></p>'
    )


def test_a_short_byline_names_the_authors_and_counts_the_others(translated):
    joyce = translated.credits[0].author

    html = render("{% byline book %}", book=translated)

    assert html == (
        f'<span class="by">by <a href="{joyce.get_absolute_url()}">James Joyce</a> '
        "and 2 more</span>"
    )


def test_a_book_of_contributors_only_names_the_first_with_their_part():
    book = Book.objects.create(title="The Weird")
    for position, name in enumerate(["Ann VanderMeer", "Jeff VanderMeer"]):
        Authorship.objects.create(
            book=book, author=Author.objects.create(name=name), position=position, role="Editor"
        )
    book = Book.objects.with_authors().get(pk=book.pk)

    html = render("{% byline book %}", book=book)

    assert html.endswith('>Ann VanderMeer</a> <span class="role">(Editor)</span> and 1 more</span>')


def test_a_role_is_escaped(translated):
    Authorship.objects.filter(role="Editor").update(role="<b>Editor</b>")
    book = Book.objects.with_authors().get(pk=translated.pk)

    html = render("{% byline book lead=True %}", book=book)

    assert '<span class="role">(&lt;b&gt;Editor&lt;/b&gt;)</span>' in html
    assert "<b>" not in html


def test_the_byline_reads_no_row_of_its_own(translated, django_assert_num_queries):
    with django_assert_num_queries(0):
        render("{% byline book %}{% byline book lead=True %}", book=translated)


def test_a_full_byline_names_everyone_in_a_line_of_a_list(translated):
    html = render("{% byline book full=True %}", book=translated)

    assert html.startswith('<span class="by">by <a href=')
    assert html.endswith('>Hans Walter Gabler</a> <span class="role">(Editor)</span></span>')
    assert "more" not in html


# A list's filters


def bound_filters(query: str):
    review_filter = BookReviewFilter(QueryDict(query), queryset=Review.objects.none())
    review_filter.filters["language"].extra["choices"] = [("en", "English"), ("el", "Greek <&>")]
    review_filter.form.is_valid()
    return review_filter.form


@pytest.mark.parametrize(
    "query",
    ["", "sort=likes", "rating=4&language=el&sort=oldest", "rating=9&sort=bogus", "language=<b>"],
    ids=["unbound", "sorted", "narrowed", "invalid", "unknown language"],
)
def test_a_choice_select_is_written_as_djangos_widget_writes_it(query):
    form = bound_filters(query)

    for name in ("rating", "language", "sort"):
        # The widget's template leaves a blank line after each option.
        widget = re.sub(r"\n\s*\n", "\n", str(form[name]))
        assert render("{% choice_select field %}", field=form[name]) == widget


def test_a_choice_select_marks_the_chosen_option_and_escapes_labels():
    html = render("{% choice_select field %}", field=bound_filters("language=el")["language"])

    assert '<option value="el" selected>Greek &lt;&amp;&gt;</option>' in html
    assert '<option value="" selected>' not in html


def test_a_choice_select_leaves_a_required_or_dressed_field_to_its_widget():
    class Choosing(forms.Form):
        needed = forms.ChoiceField(choices=[("", "Pick one"), ("a", "A")])
        dressed = forms.ChoiceField(
            choices=[("a", "A")], required=False, widget=forms.Select(attrs={"class": "wide"})
        )

    form = Choosing()

    needed = render("{% choice_select field %}", field=form["needed"])
    dressed = render("{% choice_select field %}", field=form["dressed"])
    assert needed == str(form["needed"])
    assert '<select name="needed" required id="id_needed">' in needed
    assert dressed == str(form["dressed"])
    assert 'class="wide"' in dressed
