"""Template pieces of reading: a reader's stars, a review's text and its like button."""

from django import template

from books.templatetags.catalog import fill_class, stars_context

register = template.Library()


@register.inclusion_tag("books/includes/_stars.html")
def rating_stars(stars):
    """A reader's rating ("4★", said "4 of 5 stars"); nothing when there is none."""
    if not stars:
        return {}
    return stars_context(stars)


@register.inclusion_tag("reviews/includes/_review_body.html")
def review_body(review, whole=False):
    """The review's text in paragraphs, folded behind a warning when it spoils the book.

    A long text is clamped to about eight lines with "Show more", unless ``whole``.
    """
    return {"review": review, "whole": whole}


@register.inclusion_tag("reviews/includes/_likes.html", takes_context=True)
def likes(context, review, liked_ids=None):
    """The review's likes, and a Like (or Liked) button for a signed-in reader who did not
    write it. ``liked_ids`` holds the reviews on the page the reader likes; pages that offer
    no button (``None``) show the count alone.

    The button is a plain form; static/js/likes.js sends it without reloading the page.
    """
    request = context["request"]
    user = request.user
    offered = liked_ids is not None and user.is_authenticated and review.user_id != user.pk
    return {
        "review": review,
        "offered": offered,
        "liked": offered and review.pk in liked_ids,
        "next": request.get_full_path(),
    }


@register.inclusion_tag("reviews/includes/_rating_meter.html")
def rating_meter(stars):
    """A reader's rating drawn as five stars, that many lit, around the words of
    ``rating_stars``; nothing when there is none."""
    return {"stars": stars, "fill": fill_class(stars) if stars else ""}
