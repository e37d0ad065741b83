"""Photograph the main pages at a phone's and a desktop's width, so that anyone can look at the
site without running it by hand.

    python manage.py screenshots [--output screenshots] [--chromium /usr/bin/chromium]

Builds a throw-away database (Django's test database: an in-memory SQLite one unless
DATABASE_URL names a server), migrates it, imports the shipped source page, adds a few demo
books and a reader with ratings, shelves and a review, serves the site on a free local port and
writes one full-page PNG per page and width (``home-signed-out-390.png`` …) into the output
folder. The database is dropped afterwards; nothing else is touched. Needs Playwright (``make
install``) and a Chromium.
"""

import io
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from django.urls import reverse

SOURCE_PAGE = Path(settings.BASE_DIR) / "tests" / "fixtures" / "memoirs_of_a_revolutionary.txt"
WIDTHS = (390, 1280)
HEIGHT = 900
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Small enough to build in seconds, big enough that lists have a second page.
DEMO_SIZES = [
    "--books=40",
    "--readers=12",
    "--ratings=160",
    "--reviews=30",
    "--likes=30",
    "--imported-reviews=10",
]
READER = "maria"
# The contributor line of the edition the source page describes (its reviews name its
# translator and the foreword's writer), which the copy left out: the pages show a byline
# with parts.
CONTRIBUTOR_LINE = "by Victor Serge, Peter Sedgwick (Translator), Adam Hochschild (Foreword)"
LOAD_EVERY_IMAGE = """async () => {
  const images = [...document.images];
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map((img) => img.complete ? null
    : new Promise((done) => { img.onload = img.onerror = done; })));
}"""


class Command(BaseCommand):
    help = "Write PNGs of the main pages at 390 and 1280 px wide, from a throw-away database."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="screenshots", help="Folder for the PNGs.")
        parser.add_argument(
            "--chromium",
            default=os.environ.get("SHELFMARK_CHROMIUM", "/usr/bin/chromium"),
            help="The Chromium to drive (default: /usr/bin/chromium or SHELFMARK_CHROMIUM).",
        )

    def handle(self, *args, output, chromium, verbosity=1, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CommandError("Playwright is missing: run `make install` first.") from None
        if not Path(chromium).exists():
            raise CommandError(f"No Chromium at {chromium}: give one with --chromium.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            pages, cookie = self._build(verbosity)
            with (
                override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]),
                _served() as url,
                sync_playwright() as playwright,
            ):
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    written = self._photograph(browser, url, cookie, pages, folder, verbosity)
                finally:
                    browser.close()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if verbosity:
            self.stdout.write(f"Wrote {written} screenshots into {folder}/.")

    def _build(self, verbosity: int) -> tuple[dict[str, tuple[str, bool]], str]:
        """Fill the database; return each page (its path, whether signed in) and the reader's
        session cookie."""
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from books.models import Book
        from reviews import services, social_services
        from reviews.goodreads.page import parse_page
        from reviews.goodreads.page_import import import_page
        from reviews.models import ReadingSession, Review, Shelf

        text = SOURCE_PAGE.read_text(encoding="utf-8")
        title = "\nMemoirs of a Revolutionary\n"
        text = text.replace(title, f"{title}{CONTRIBUTOR_LINE}\n", 1)
        source = import_page(parse_page(text)).book
        call_command("generate_demo_data", *DEMO_SIZES, verbosity=0, stdout=io.StringIO())
        others = list(Book.objects.exclude(pk=source.pk).order_by("pk")[:8])
        for book in others[:3]:
            book.featured = True
            book.save(update_fields=["featured"])

        reader = get_user_model().objects.create_user(READER, f"{READER}@example.org")
        shelves = [
            Shelf.Kind.CURRENTLY_READING,
            Shelf.Kind.CURRENTLY_READING,
            Shelf.Kind.WANT_TO_READ,
            Shelf.Kind.WANT_TO_READ,
            Shelf.Kind.WANT_TO_READ,
            Shelf.Kind.READ,
            Shelf.Kind.READ,
        ]
        for book, shelf in zip(others, shelves, strict=False):
            services.shelf_set(user=reader, book=book, shelf=shelf)
        for book, stars in zip(others[5:], (5, "2.5"), strict=False):
            services.rating_set(user=reader, book=book, stars=stars)
        services.shelf_set(user=reader, book=source, shelf=Shelf.Kind.READ)
        services.rating_set(user=reader, book=source, stars="3.5")
        services.shelf_entry_update(
            user=reader,
            book=source,
            owned_copies=2,
            private_notes="The 1963 Oxford edition, and a paperback to lend.",
        )
        own = services.review_create(
            user=reader,
            book=source,
            body=(
                "Serge writes without self-pity about defeat after defeat, and the portraits "
                "of comrades, most of whom did not survive, stay with you long after."
            ),
        )
        # Others talk about the reader's review: notifications for the reader to read.
        from config.devtools.demo.generator import LAST_DAY
        from reviews import discussion

        neighbours = list(get_user_model().objects.exclude(pk=reader.pk).order_by("pk")[:3])
        services.like_add(user=neighbours[0], review=own)
        question = discussion.comment_create(
            user=neighbours[1], review=own, body="Which edition did you read?"
        )
        discussion.comment_create(
            user=reader, review=own, body="The NYRB Classics one, with the notes.", parent=question
        )
        discussion.comment_create(
            user=neighbours[2], review=own, body="Thank you, this made me pick it up."
        )
        # A longer thread: the review's page shows its first replies, its own page all.
        for n, body in enumerate(
            (
                "Mine is the Penguin with the Sedgwick translation.",
                "The notes make the names easier to follow.",
                "Is the introduction by Hochschild worth reading first?",
                "Read it after: it gives away the ending of more than one life.",
            )
        ):
            discussion.comment_create(
                user=neighbours[n % 3], review=own, body=body, parent=question
            )
        dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
        favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
        services.shelf_set(user=reader, book=others[4], shelf=dnf)
        for book in (source, others[5]):
            services.shelf_tags_set(user=reader, book=book, tags=[favourites])
        # Maria follows the most followed demo readers, one of whom follows her back and
        # rates and reviews the source book: her feed, and the book's Friends & Following.
        followed = list(
            get_user_model().objects.exclude(pk=reader.pk).order_by("-followers_count", "pk")[:6]
        )
        for other in followed:
            social_services.follow_add(follower=reader, followed=other)
        friend = followed[0]
        social_services.follow_add(follower=friend, followed=reader)
        services.review_create(
            user=friend,
            book=source,
            rating=5,
            body=(
                "Read it in a week of evenings. The chapters on Petrograd in 1919 are the "
                "strongest: hunger, cold and the Party's first lies, told by a man who stayed "
                "loyal to the revolution while he watched it go wrong. " * 3
            ),
        )
        # The demo reader who finished the most books in the data's last year.
        busiest = (
            ReadingSession.objects.finished_in(LAST_DAY.year)
            .values("user__username")
            .annotate(n=Count("pk"))
            .order_by("-n", "user__username")
            .first()["user__username"]
        )
        review = Review.objects.filter(book=source, imported_reviewer__isnull=False).first()
        talked = Review.objects.order_by("-comments_count", "pk").first()
        author = source.main_authors[0]

        client = Client()
        client.force_login(reader)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        pages = {
            "home-signed-out": (reverse("home"), False),
            "home-signed-in": (reverse("home"), True),
            "book": (source.get_absolute_url(), False),
            "book-signed-in": (source.get_absolute_url(), True),
            "review": (reverse("reviews:detail", kwargs={"pk": review.pk}), False),
            "review-conversation": (reverse("reviews:detail", kwargs={"pk": talked.pk}), True),
            "review-own": (reverse("reviews:detail", kwargs={"pk": own.pk}), True),
            "thread": (reverse("reviews:comment-replies", kwargs={"pk": question.pk}), False),
            "stats": (reverse("reviews:stats", kwargs={"username": busiest}), False),
            "challenge": (
                reverse("reviews:challenge", kwargs={"username": busiest, "year": LAST_DAY.year}),
                False,
            ),
            "challenge-own": (
                reverse("reviews:challenge", kwargs={"username": READER, "year": LAST_DAY.year}),
                True,
            ),
            "notifications": (reverse("reviews:notifications"), True),
            "notification-settings": (reverse("accounts:notification-settings"), True),
            "report": (
                reverse("reviews:report", kwargs={"kind": "review", "key": talked.pk}),
                True,
            ),
            "author": (author.get_absolute_url(), False),
            "books": (reverse("books:list") + "?page=2", False),
            "search": (reverse("books:search") + "?q=serge", False),
            "profile": (reader.get_absolute_url(), True),
            "library": (reverse("accounts:library"), True),
            "feed": (reverse("reviews:feed"), True),
            "followers": (reverse("reviews:followers", kwargs={"username": friend.username}), True),
            "friend-profile": (friend.get_absolute_url(), True),
            "shelf": (reverse("reviews:shelf", args=[READER, "read"]), False),
            "tag": (favourites.get_absolute_url(), False),
            "shelves": (reverse("reviews:shelves"), True),
            "sign-in": (reverse("account_login"), False),
            "not-found": ("/no-such-page/", False),
        }
        if verbosity >= 2:
            self.stdout.write(f"Built the data: {Book.objects.count()} books.")
        return pages, cookie

    def _photograph(self, browser, url, cookie, pages, folder: Path, verbosity: int) -> int:
        written = 0
        for width in WIDTHS:
            for signed_in in (False, True):
                context = browser.new_context(viewport={"width": width, "height": HEIGHT})
                if signed_in:
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}]
                    )
                page = context.new_page()
                for name, (path, as_reader) in pages.items():
                    if as_reader != signed_in:
                        continue
                    page.goto(url + path)
                    # Covers load lazily, as the reader scrolls: a full-page picture needs all.
                    page.evaluate(LOAD_EVERY_IMAGE)
                    target = folder / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written += 1
                    if verbosity >= 2:
                        self.stdout.write(f"  {target}")
                context.close()
        return written


class _served:
    """The site served from this process on a free port, with its static files."""

    def __enter__(self) -> str:
        overrides = {}
        default = connections["default"]
        if default.vendor == "sqlite" and default.is_in_memory_db():
            # The in-memory database lives in this connection: the server thread shares it.
            overrides[default.alias] = default
            default.inc_thread_sharing()
        self.thread = LiveServerThread(
            "127.0.0.1", StaticFilesHandler, connections_override=overrides, port=0
        )
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.overrides = overrides
        return f"http://127.0.0.1:{self.thread.port}"

    def __exit__(self, *exc_info):
        self.thread.terminate()
        for conn in self.overrides.values():
            conn.dec_thread_sharing()
        return False
