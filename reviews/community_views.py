"""A review's page with its conversation, who liked it, a reader's notifications and reports.

Every form here is a plain POST that leads back to where it was sent from (the comment's
place on the review's page); a form with a mistake is shown again with its errors.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from books.models import prefetch_authors
from config.navigation import cursor_of, page_of, placed_messages
from config.pagecache import fragment_key, kept_fragment, query_key, visitor_page

from . import discussion, moderation
from .cards import card_html, with_reader_parts
from .forms import CommentForm, ReportForm
from .models import Block, Comment, Like, Report, Review
from .notifications import notifications_mark_read, notifications_page
from .ratelimit import limit_reader_actions
from .services import ActionRefused
from .social import blocked_between
from .threads import with_comment_parts
from .views import HttpResponseSeeOther, sign_in_first

# Threads (a comment and its replies) per page of a review's conversation.
COMMENTS_PER_PAGE = 50
# The first replies of a thread the review's page shows; all of them are on the thread's page.
REPLIES_SHOWN = 3
# Replies per page of a thread's own page.
REPLIES_PER_PAGE = 50
# Readers named under a review as liking it; the rest are on a page of their own.
LIKERS_SHOWN = 12
LIKERS_PER_PAGE = 60
NOTIFICATIONS_PER_PAGE = 30
COMMENTS = "comments"
# A page of a review's threads, as every reader sees it.
THREADS = "reviews/includes/_threads.html"


def _review_url(pk: int) -> str:
    return reverse("reviews:detail", kwargs={"pk": pk})


def _visible_review(request, pk: int) -> Review:
    """A review the reader may see: not hidden, and not by a reader either of them blocked."""
    review = get_object_or_404(
        Review.objects.visible().with_authors().select_related("book"), pk=pk
    )
    if review.user_id and blocked_between(request.user, review.user):
        raise Http404("No such review.")
    return review


def _review_page(request, review: Review, *, form=None, reply_form=None, reply_to=None, status=200):
    """The review whole, who liked it, and a page of its conversation.

    The page of threads is the same for every reader, so it is kept in the cache (see
    ``reviews.threads``) and each reader's links and reply forms are put in afterwards; a
    reader with a block (whose threads leave someone out), or a reply sent back with its
    mistakes, gets threads rendered for them alone.
    """
    query = query_key(request)
    key = None if query is None else fragment_key("review-threads", review.pk, query)
    prefetch_authors([review.book])
    placed, other_messages = placed_messages(request, [f"review-{review.pk}", COMMENTS])
    review.placed_messages = placed.get(f"review_{review.pk}", [])
    context = {}
    own_threads = (
        reply_form is not None
        or reply_to is not None
        or (request.user.is_authenticated and Block.objects.involving(request.user).exists())
    )
    if own_threads:
        threads = _threads_page(request, review, request.user)
        context.update(page_obj=threads, threads=threads.object_list)
    else:
        kept = kept_fragment(key, lambda: _shared_threads(request, review))
        context["threads_html"] = with_comment_parts(
            kept["html"], request, review=review, names=kept["names"]
        )
    likers = list(
        Like.objects.filter(review=review)
        .select_related("user")
        .order_by("-created_at", "-pk")[:LIKERS_SHOWN]
    )
    liked_ids = Like.objects.review_ids_liked_by(request.user, [review])
    context.update(
        {
            "review": review,
            "review_card": with_reader_parts(
                card_html(review, whole=True),
                request,
                liked_ids=liked_ids,
                placed={f"review_{review.pk}": review.placed_messages},
            ),
            "book": review.book,
            "messages": other_messages,
            "comments_messages": placed.get(COMMENTS, []),
            "likers": likers,
            "more_likers": max(review.likes_count - len(likers), 0),
            "form": form or CommentForm(),
            "reply_form": reply_form,
            "reply_to": reply_to,
            "is_writer": request.user.is_authenticated and review.user_id == request.user.pk,
        }
    )
    return render(request, "reviews/review_detail.html", context, status=status)


def _threads_page(request, review: Review, viewer=None):
    """The page of the review's threads the request asks for, as ``viewer`` may see them."""
    return page_of(
        request,
        Comment.objects.thread_of(review, viewer, replies=REPLIES_SHOWN),
        COMMENTS_PER_PAGE,
    )


def _shared_threads(request, review: Review) -> dict:
    """The page of threads as every reader without a block sees it, with markers where each
    reader's own parts go, and the name of each comment's writer for those parts."""
    threads = _threads_page(request, review)
    names = {}
    for comment in threads.object_list:
        for shown in (comment, *comment.shown_replies):
            names[shown.pk] = shown.user.shown_name
    html = render_to_string(
        THREADS,
        {"threads": threads.object_list, "page_obj": threads, "review": review, "shared": True},
    )
    return {"html": html, "names": names}


@visitor_page(readers="own")
@require_GET
def review_detail(request, pk):
    """One review on a page of its own, whole, with its book, its likes and its comments."""
    return _review_page(request, _visible_review(request, pk))


def _page_of_thread(comment: Comment) -> int:
    """The page of the review's conversation that shows ``comment``."""
    first = comment.parent_id or comment.pk
    before = Comment.objects.visible().filter(
        review_id=comment.review_id, parent__isnull=True, pk__lt=first
    )
    return before.count() // COMMENTS_PER_PAGE + 1


def _comment_place(comment: Comment) -> str:
    """Where ``comment`` shows: on the review's page, or (a reply past a thread's first few)
    on its thread's page."""
    if comment.parent_id:
        before = (
            Comment.objects.visible()
            .filter(parent_id=comment.parent_id)
            .filter(
                models.Q(created_at__lt=comment.created_at)
                | models.Q(created_at=comment.created_at, pk__lt=comment.pk)
            )
            .count()
        )
        if before >= REPLIES_SHOWN:
            page = before // REPLIES_PER_PAGE + 1
            query = f"?page={page}" if page > 1 else ""
            url = reverse("reviews:comment-replies", kwargs={"pk": comment.parent_id})
            return f"{url}{query}#comment-{comment.pk}"
    page = _page_of_thread(comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{_review_url(comment.review_id)}{query}#comment-{comment.pk}"


@require_GET
def comment_replies(request, pk):
    """A thread on a page of its own: the comment and all its replies, as many pages as they
    take (the review's page shows each thread's first few)."""
    parent = get_object_or_404(
        Comment.objects.visible().select_related("user"),
        pk=pk,
        parent__isnull=True,
        review__hidden=False,
    )
    review = _visible_review(request, parent.review_id)
    if blocked_between(request.user, parent.user):
        raise Http404("This comment is not shown.")
    prefetch_authors([review.book])
    replies = page_of(request, Comment.objects.replies_to(parent, request.user), REPLIES_PER_PAGE)
    return render(
        request,
        "reviews/comment_replies.html",
        {
            "review": review,
            "book": review.book,
            "parent": parent,
            "page_obj": replies,
            "replies": replies.object_list,
            "back": _comment_place(parent),
            "is_writer": request.user.is_authenticated and review.user_id == request.user.pk,
        },
    )


@require_GET
def comment_detail(request, pk):
    """A comment's own address leads to its place in the review's conversation."""
    comment = get_object_or_404(
        Comment.objects.visible().select_related("parent"), pk=pk, review__hidden=False
    )
    if comment.parent_id and comment.parent.hidden:
        raise Http404("This comment is not shown.")
    return HttpResponseSeeOther(_comment_place(comment))


@sign_in_first("comment on this review", _review_url)
@require_POST
@limit_reader_actions("comment")
def review_comment(request, pk):
    """Post a comment on a review, or a reply to one of its comments (``parent``)."""
    review = _visible_review(request, pk)
    form = CommentForm(request.POST)
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id.isdigit():
        parent = Comment.objects.filter(pk=int(parent_id), review=review, hidden=False).first()
    if form.is_valid():
        if form.cleaned_data["parent"] and parent is None:
            form.add_error(None, "The comment you replied to is no longer there.")
        if not form.errors:
            try:
                comment = discussion.comment_create(
                    user=request.user, review=review, body=form.cleaned_data["body"], parent=parent
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                note = "Your reply was posted." if parent else "Your comment was posted."
                messages.success(request, note, extra_tags=COMMENTS)
                return HttpResponseSeeOther(_comment_place(comment))
    if parent is not None:
        # The error is shown in the reply box of the thread it was meant for.
        thread = parent.parent_id or parent.pk
        return _review_page(request, review, reply_form=form, reply_to=thread, status=400)
    return _review_page(request, review, form=form, status=400)


def _own_comment(request, pk) -> Comment:
    return get_object_or_404(
        Comment.objects.visible().select_related("review__book"),
        pk=pk,
        review__hidden=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("comment")
def comment_edit(request, pk):
    comment = _own_comment(request, pk)
    if comment.user_id != request.user.pk:
        raise Http404("Only its writer edits a comment.")
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            discussion.comment_update(
                user=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your comment was updated.", extra_tags=COMMENTS)
            return HttpResponseSeeOther(_comment_place(comment))
    return render(
        request,
        "reviews/comment_form.html",
        {"comment": comment, "review": comment.review, "book": comment.review.book, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("comment")
def comment_delete(request, pk):
    comment = _own_comment(request, pk)
    if not discussion.may_delete(request.user, comment, comment.review):
        raise Http404("Only its writer, or the review's, deletes a comment.")
    if request.method == "POST":
        try:
            discussion.comment_delete(user=request.user, comment=comment)
        except ActionRefused as refusal:
            messages.error(request, str(refusal), extra_tags=COMMENTS)
        else:
            messages.success(request, "The comment was deleted.", extra_tags=COMMENTS)
        return HttpResponseSeeOther(f"{_review_url(comment.review_id)}#comments")
    return render(
        request,
        "reviews/comment_confirm_delete.html",
        {
            "comment": comment,
            "review": comment.review,
            "book": comment.review.book,
            "replies": comment.replies.filter(hidden=False).count() if not comment.parent_id else 0,
        },
    )


@require_GET
def review_likers(request, pk):
    """Everyone who liked a review, the latest first."""
    review = _visible_review(request, pk)
    likes = Like.objects.filter(review=review).select_related("user").order_by("-created_at", "-pk")
    page_obj = page_of(request, likes, LIKERS_PER_PAGE)
    return render(
        request,
        "reviews/review_likers.html",
        {"review": review, "book": review.book, "page_obj": page_obj},
    )


@visitor_page(readers="own")
@never_cache
@login_required
@require_GET
def notifications(request):
    """The reader's notifications, newest first, a page at a time by a cursor as the feed is;
    those new since the last visit are marked as such, and are read from then on."""
    before = cursor_of(request)
    rows, next_cursor = notifications_page(request.user, before=before, size=NOTIFICATIONS_PER_PAGE)
    if request.user.unread_notifications_count or any(not row.read for row in rows):
        notifications_mark_read(user=request.user)
        request.user.unread_notifications_count = 0
    return render(
        request,
        "reviews/notification_list.html",
        {"notifications": rows, "next_cursor": next_cursor, "is_first": before is None},
    )


def _report_subject(request, kind: str, key: str) -> tuple[dict, str, str]:
    """What is reported (as ``report_create`` takes it), its name, and where to go back."""
    if kind == "review" and key.isdigit():
        review = _visible_review(request, int(key))
        return {"review": review}, f"{review.writer_name}’s review", _review_url(review.pk)
    if kind == "comment" and key.isdigit():
        comment = get_object_or_404(
            Comment.objects.visible().select_related("user"), pk=int(key), review__hidden=False
        )
        return {"comment": comment}, f"{comment.user.shown_name}’s comment", _comment_place(comment)
    if kind == "reader":
        reader = get_object_or_404(get_user_model(), username=key, is_active=True)
        back = reader.get_absolute_url()
        return {"reported_user": reader}, f"{reader.shown_name}’s profile", back
    raise Http404("Nothing to report here.")


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("report")
def report(request, kind, key):
    """Report a review, a comment or a reader's profile to staff, with a reason."""
    subject, name, back = _report_subject(request, kind, key)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_create(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                **subject,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Thank you: staff will look at your report.")
            return HttpResponseSeeOther(back)
    subject_text = next(iter(subject.values()))
    return render(
        request,
        "reviews/report_form.html",
        {
            "form": form,
            "name": name,
            "back": back,
            "subject": subject_text,
            "kind": kind,
            "key": key,
            "already": Report.objects.filter(reporter=request.user, **subject).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )
