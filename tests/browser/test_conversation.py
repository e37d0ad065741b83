"""A conversation about a review in the browser, with JavaScript on and off, at a phone's and a
desktop's width: a reader comments on another's review, the writer sees the notification and
replies, the first sees the reply's notification; a staff member works the report queue and
hides a comment. Every page fits the screen and passes axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews import services
from reviews.models import Comment, ModerationAction
from tests.browser.conftest import _sign_in
from tests.browser.test_layout import WIDTHS, check

pytestmark = pytest.mark.django_db(transaction=True)


def badge(page: Page):
    return page.get_by_role("navigation", name="Account").locator(".badge")


@pytest.mark.parametrize("script", ["on", "off"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_conversation_with_notifications_and_a_report(
    new_context, reader, other_reader, source_book, django_user_model, width, script
):
    review = services.review_create(user=other_reader, book=source_book, body="Serge's best.")
    viewport = {"width": WIDTHS[width], "height": 900}

    def browser_of(user, password=None) -> tuple[Page, Page]:
        context = new_context(java_script_enabled=script == "on", viewport=viewport)
        page = _sign_in(context.new_page(), user, password)
        checker = page
        if script == "off":
            # axe-core and the width check are scripts: a second browser of the same reader
            # runs them on the same page.
            checker = new_context(
                storage_state=context.storage_state(), viewport=viewport
            ).new_page()
        return page, checker

    def look(page: Page, checker: Page, what: str) -> None:
        if checker is not page:
            checker.goto(page.url)
        check(checker, f"{what}, JavaScript {script}, {width}")

    ada, ada_checker = browser_of(reader)
    grace, grace_checker = browser_of(other_reader)
    review_url = reverse("reviews:detail", kwargs={"pk": review.pk})

    # Ada comments on Grace's review.
    ada.goto(review_url)
    comments = ada.get_by_role("region", name=re.compile("comment"))
    comments.get_by_label("Add a comment").fill("Did you read it in French?")
    comments.get_by_role("button", name="Post comment").click()
    expect(ada.get_by_role("status")).to_contain_text("Your comment was posted.")
    expect(ada.locator(".comment")).to_contain_text("Did you read it in French?")
    expect(ada).to_have_url(re.compile(r"#comment-\d+$"))
    look(ada, ada_checker, "review with a comment")

    # Grace sees it in her notifications and replies.
    grace.goto(reverse("home"))
    expect(badge(grace)).to_have_text("1 unread")
    grace.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(grace.locator(".notification")).to_contain_text("commented on your review")
    expect(badge(grace)).to_have_count(0)
    look(grace, grace_checker, "notifications")
    grace.get_by_role("link", name=re.compile("commented on your review")).click()
    grace.locator(".reply-box summary").first.click()
    grace.get_by_label("Your reply").fill("In English, the Greeman translation.")
    grace.get_by_role("button", name="Post reply").click()
    expect(grace.get_by_role("status")).to_contain_text("Your reply was posted.")
    expect(grace.locator(".comment.reply")).to_contain_text("Greeman")
    look(grace, grace_checker, "review with a reply")

    # Ada is told of the reply.
    ada.goto(reverse("reviews:notifications"))
    expect(ada.locator(".notification").first).to_contain_text("replied to your comment")

    # Grace reports Ada's comment; asking twice says so.
    comment = Comment.objects.get(parent__isnull=True)
    grace.goto(review_url)
    grace.get_by_role("link", name=re.compile("^Report .*comment")).click()
    grace.get_by_label("Harassment or hate").check()
    look(grace, grace_checker, "report form")
    grace.get_by_role("button", name="Send the report").click()
    expect(grace.get_by_role("status")).to_contain_text("staff will look at your report")
    grace.goto(reverse("reviews:report", kwargs={"kind": "comment", "key": comment.pk}))
    expect(grace.get_by_text("You have already reported this")).to_be_visible()

    # Staff hide the comment from the queue.
    django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="an-editors-passphrase"
    )
    admin = new_context(viewport=viewport).new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill("an-editors-passphrase")
    admin.get_by_role("button", name="Log in").click()
    admin.goto(reverse("admin:reviews_report_changelist"))
    expect(admin.locator("#result_list")).to_contain_text("Did you read it in French?")
    admin.locator("input[name=_selected_action]").first.check()
    admin.get_by_label(re.compile(r"^Action")).select_option(
        label="Hide the reported review or comment"
    )
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("Hidden: 1 item(s).")).to_be_visible()
    assert ModerationAction.objects.get().moderator.username == "editor"

    ada.goto(review_url)
    expect(ada.locator(".comment")).to_have_count(0)
    expect(ada.get_by_role("heading", name="0 comments")).to_be_visible()
