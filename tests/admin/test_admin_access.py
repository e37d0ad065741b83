import pytest
from django.urls import reverse

from books.models import Book

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ("admin:index", "admin:books_book_changelist", "admin:reviews_review_changelist")
STAFF_PASSWORD = "a-long-staff-passphrase"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", email="editor@example.org", password=STAFF_PASSWORD, is_staff=True
    )


@pytest.fixture
def limits(settings):
    """Three failed sign-ins per account within five minutes, as the site's sign-in counts."""
    settings.ACCOUNT_RATE_LIMITS = {
        **getattr(settings, "ACCOUNT_RATE_LIMITS", {}),
        "login_failed": "10/m/ip,3/300s/key",
    }
    return 3


def admin_login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_staff_reach_the_admin(admin_client, source_book, name):
    response = admin_client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_readers_who_are_not_staff_are_sent_to_sign_in(reader_client, source_book, name):
    response = reader_client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert source_book.title not in response.content.decode()


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_readers_cannot_run_admin_actions(reader_client, source_book):
    response = reader_client.post(
        reverse("admin:books_book_changelist"),
        {"action": "feature", "_selected_action": [source_book.pk]},
    )

    assert response.status_code == 302
    assert not Book.objects.get(pk=source_book.pk).featured


def test_a_reader_cannot_sign_in_to_the_admin(client, reader):
    response = admin_login(client, reader.username, "a-long-passphrase-1")

    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert not signed_in(client)


def test_staff_sign_in_after_a_few_mistakes(client, staff, limits):
    for _ in range(limits - 1):
        assert admin_login(client, staff.username, "wrong").status_code == 200

    response = admin_login(client, staff.username, STAFF_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert signed_in(client)


def test_sign_in_is_refused_once_the_failures_are_spent(client, staff, limits):
    for _ in range(limits):
        response = admin_login(client, staff.username, "wrong")
        assert "correct username and password" in response.content.decode()

    response = admin_login(client, staff.username, STAFF_PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_failures_on_the_sites_sign_in_page_count_for_the_admin(client, staff, limits):
    for _ in range(limits):
        client.post(reverse("account_login"), {"login": staff.username, "password": "wrong"})

    response = admin_login(client, staff.username, STAFF_PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)
