"""Writing through the API: each action is the page's service, with its counters, its refusals
as field errors that change nothing, and the page's rate limit."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounts.models import LibraryImport
from reviews import services
from reviews.models import Like, Rating, ReadingSession, Review, ShelfEntry
from tests.conftest import FIXTURES
from tests.factories import BookFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def recount_is_clean():
    call_command("recount", "--check", stdout=io.StringIO())


def test_rate_change_and_unrate_move_the_histogram(writer_api, reader):
    book = BookFactory()

    first = writer_api.put(f"books/{book.pk}/rating", {"stars": 4})
    writer_api.put(f"books/{book.pk}/rating", {"stars": 2})
    book.refresh_from_db()
    assert first.json() == {"book_id": book.pk, "stars": 4}
    assert (book.ratings_2, book.ratings_4, reader.ratings.count()) == (1, 0, 1)

    gone = writer_api.delete(f"books/{book.pk}/rating")

    book.refresh_from_db()
    assert gone.status_code == 204
    assert book.ratings_total == 0
    recount_is_clean()


def test_half_stars_are_taken(writer_api):
    book = BookFactory()

    response = writer_api.put(f"books/{book.pk}/rating", {"stars": 3.5})

    assert response.json() == {"book_id": book.pk, "stars": 3.5}
    assert writer_api.get(f"books/{book.pk}").json()["reader"]["stars"] == 3.5


@pytest.mark.parametrize("stars", [0, 6, 2.25, "four"])
def test_a_rating_the_site_does_not_take_changes_nothing(writer_api, stars):
    book = BookFactory()

    response = writer_api.put(f"books/{book.pk}/rating", {"stars": stars})

    assert response.status_code == 422
    assert "stars" in response.json()["fields"]
    assert not Rating.objects.exists()


def test_shelving_moves_the_book_and_its_reading_sessions(writer_api, reader):
    book = BookFactory(pages=200)

    writer_api.put(f"books/{book.pk}/shelf", {"shelf": "currently_reading"})
    assert ReadingSession.objects.get(user=reader).status == "reading"
    response = writer_api.put(f"books/{book.pk}/shelf", {"shelf": "read"})

    assert response.json() == {"book_id": book.pk, "shelf": "read"}
    assert ReadingSession.objects.get(user=reader).status == "finished"
    assert writer_api.put(f"books/{book.pk}/shelf", {"shelf": "nowhere"}).status_code == 422
    assert writer_api.delete(f"books/{book.pk}/shelf").status_code == 204
    assert not ShelfEntry.objects.exists()
    recount_is_clean()


def test_start_progress_and_finish_a_reading_session(writer_api, reader):
    book = BookFactory(pages=400)

    started = writer_api.post(f"books/{book.pk}/reading/start", {}).json()
    progress = writer_api.post(f"books/{book.pk}/reading/progress", {"page": 100, "note": "Hm"})
    past_end = writer_api.post(f"books/{book.pk}/reading/progress", {"page": 401})
    finished = writer_api.post(f"books/{book.pk}/reading/finish", {}).json()

    assert started["status"] == "reading"
    assert progress.status_code == 201
    assert progress.json()["page"] == 100
    assert past_end.status_code == 422
    assert "past its end" in past_end.json()["message"]
    assert (finished["id"], finished["status"], finished["progress_percent"]) == (
        started["id"],
        "finished",
        100,
    )


def test_session_dates_are_checked_by_the_service(writer_api, reader):
    book = BookFactory()
    session = writer_api.post(f"books/{book.pk}/reading/finish", {}).json()
    today = datetime.date.today()

    backwards = writer_api.patch(
        f"sessions/{session['id']}",
        {"started_on": str(today), "ended_on": str(today - datetime.timedelta(days=3))},
    )
    fine = writer_api.patch(
        f"sessions/{session['id']}",
        {"started_on": str(today - datetime.timedelta(days=3)), "ended_on": str(today)},
    )

    assert backwards.status_code == 422
    assert fine.json()["started_on"] == str(today - datetime.timedelta(days=3))


def test_nothing_to_set_aside_is_a_conflict(writer_api):
    book = BookFactory()

    response = writer_api.post(f"books/{book.pk}/reading/stop")

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


def test_write_edit_and_delete_a_review_with_its_rating(writer_api, reader):
    book = BookFactory()

    created = writer_api.post(f"books/{book.pk}/reviews", {"body": "Good", "rating": 4})
    again = writer_api.post(f"books/{book.pk}/reviews", {"body": "Better"})
    review_id = created.json()["id"]
    edited = writer_api.put(f"reviews/{review_id}", {"body": "Best", "rating": None})

    assert (created.status_code, again.status_code) == (201, 200)
    assert again.json()["rating"] == 4  # left out: kept
    assert (edited.json()["body"], edited.json()["rating"]) == ("Best", None)
    assert not Rating.objects.exists()
    assert writer_api.delete(f"reviews/{review_id}").status_code == 204
    assert not Review.objects.exists()
    recount_is_clean()


def test_nobody_edits_or_deletes_another_readers_review(writer_api, other_reader):
    review = ReviewFactory(user=other_reader, body="Mine")

    assert writer_api.put(f"reviews/{review.pk}", {"body": "Yours"}).status_code == 404
    assert writer_api.delete(f"reviews/{review.pk}").status_code == 404
    review.refresh_from_db()
    assert review.body == "Mine"


def test_a_blank_review_is_refused(writer_api):
    book = BookFactory()

    response = writer_api.post(f"books/{book.pk}/reviews", {"body": "   "})

    assert response.status_code == 422
    assert "body" in response.json()["fields"]
    assert not Review.objects.exists()


def test_like_and_unlike_but_never_ones_own(writer_api, reader, other_reader):
    theirs = ReviewFactory(user=other_reader)
    mine = ReviewFactory(user=reader)

    liked = writer_api.put(f"reviews/{theirs.pk}/like")
    twice = writer_api.put(f"reviews/{theirs.pk}/like")
    own = writer_api.put(f"reviews/{mine.pk}/like")
    unliked = writer_api.delete(f"reviews/{theirs.pk}/like")

    assert liked.json() == twice.json() == {"liked": True, "likes_count": 1}
    assert (own.status_code, own.json()["code"]) == (403, "forbidden")
    assert unliked.json() == {"liked": False, "likes_count": 0}
    assert not Like.objects.exists()


def test_the_sites_rate_limit_answers_429_with_retry_after(writer_api, settings):
    settings.READER_ACTION_RATE_LIMITS = {**settings.READER_ACTION_RATE_LIMITS, "rate": "2/m"}
    book = BookFactory()

    answers = [writer_api.put(f"books/{book.pk}/rating", {"stars": s}) for s in (1, 2, 3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) >= 1
    assert answers[2].json()["code"] == "rate_limited"
    assert Rating.objects.get().stars == 2


def test_import_a_goodreads_export_and_follow_its_status(writer_api, reader):
    export = FIXTURES / "goodreads_library_export.csv"

    with export.open("rb") as upload:
        response = writer_api.client.post(
            "/api/v1/me/imports", {"file": upload}, headers=writer_api.headers
        )

    assert response.status_code == 202
    job = response.json()
    status = writer_api.get(job["url"]).json()
    assert status["status"] == "done"  # the suite runs tasks at once
    assert status["rows_done"] == status["rows_total"] > 0
    assert ShelfEntry.objects.filter(user=reader).count() > 0
    assert LibraryImport.objects.get().csv_text == ""


def test_a_file_that_is_not_an_export_is_refused(writer_api):
    upload = io.BytesIO(b"just,some\ncsv,text\n")
    upload.name = "notes.csv"

    response = writer_api.client.post(
        "/api/v1/me/imports", {"file": upload}, headers=writer_api.headers
    )

    assert response.status_code == 422
    assert "file" in response.json()["fields"]
    assert not LibraryImport.objects.exists()


def test_export_the_library_as_csv(writer_api, reader):
    book = BookFactory(title="Exported")
    writer_api.put(f"books/{book.pk}/shelf", {"shelf": "read"})

    response = writer_api.get("me/export.csv")

    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("Book Id,Title")
    assert "Exported" in text


def test_another_readers_import_is_not_found(writer_api, other_reader):
    job = LibraryImport.objects.create(user=other_reader, file_name="theirs.csv")

    assert writer_api.get(f"me/imports/{job.pk}").status_code == 404


def test_imports_past_the_hourly_limit_answer_429(writer_api, reader):
    for n in range(3):
        LibraryImport.objects.create(user=reader, file_name=f"earlier{n}.csv", status="done")

    with (FIXTURES / "goodreads_library_export.csv").open("rb") as upload:
        response = writer_api.client.post(
            "/api/v1/me/imports", {"file": upload}, headers=writer_api.headers
        )

    assert response.status_code == 429
    assert "3 imports an hour" in response.json()["message"]
    assert response.has_header("Retry-After")
    assert LibraryImport.objects.count() == 3


def test_set_and_change_a_yearly_goal(writer_api, reader):
    year = datetime.date.today().year

    first = writer_api.put(f"me/challenges/{year}", {"books": 12})
    changed = writer_api.put(f"me/challenges/{year}", {"books": 20, "pages": 5000})
    too_far = writer_api.put("me/challenges/3000", {"books": 12})
    none = writer_api.put(f"me/challenges/{year}", {"books": 0})

    assert (first.json()["books_goal"], first.json()["books_done"]) == (12, 0)
    assert (changed.json()["books_goal"], changed.json()["pages_goal"]) == (20, 5000)
    assert too_far.status_code == 404
    assert none.status_code == 422
    assert reader.reading_challenges.get().books_goal == 20


def test_shelve_on_ones_own_exclusive_shelf_by_its_id_and_list_it(writer_api, api, reader):
    abandoned = services.shelf_create(user=reader, name="Abandoned", exclusive=True)
    tag = services.shelf_create(user=reader, name="Favourites", exclusive=False)
    book = BookFactory(title="Left off")

    moved = writer_api.put(f"books/{book.pk}/shelf", {"shelf": abandoned.slug})
    on_tag = writer_api.put(f"books/{book.pk}/shelf", {"shelf": tag.slug})
    shelves = {s["id"]: s for s in api.get("readers/ada/shelves").json()}
    listed = api.get(f"readers/ada/shelves/{abandoned.slug}").json()["results"]

    assert moved.json() == {"book_id": book.pk, "shelf": abandoned.slug}
    assert on_tag.status_code == 422
    assert list(shelves)[:3] == ["to-read", "currently-reading", "read"]
    assert (shelves[abandoned.slug]["count"], shelves[tag.slug]["exclusive"]) == (1, False)
    assert [e["book"]["title"] for e in listed] == ["Left off"]
    assert writer_api.get(f"books/{book.pk}").json()["reader"]["shelf"] == abandoned.slug
