from django.urls import path

from . import social_views, views

app_name = "reviews"

urlpatterns = [
    path("books/<int:pk>/rating/", views.book_rate, name="rate"),
    path("books/<int:pk>/rating/remove/", views.book_unrate, name="unrate"),
    path("books/<int:pk>/shelf/", views.book_shelve, name="shelve"),
    path("books/<int:pk>/shelf/remove/", views.book_unshelve, name="unshelve"),
    path("books/<int:pk>/tags/", views.book_tags, name="tags"),
    path("shelves/", views.shelf_list, name="shelves"),
    path("shelves/<str:slug>/rename/", views.shelf_rename, name="shelf-rename"),
    path("shelves/<str:slug>/delete/", views.shelf_delete, name="shelf-delete"),
    path("readers/<str:username>/shelves/<str:slug>/", views.shelf_detail, name="shelf"),
    path("books/<int:pk>/copies/", views.book_copies, name="copies"),
    path("books/<int:pk>/reviews/new/", views.review_create, name="review-create"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review-delete"),
    path("reviews/<int:pk>/like/", views.review_like, name="like"),
    path("reviews/<int:pk>/unlike/", views.review_unlike, name="unlike"),
    path("reviewers/<int:pk>/", views.reviewer_detail, name="reviewer"),
    path("books/<int:pk>/reading/progress/", views.book_progress, name="progress"),
    path("books/<int:pk>/reading/set-aside/", views.book_set_aside, name="set-aside"),
    path("reading/<int:pk>/dates/", views.session_dates, name="session-dates"),
    path("readers/<str:username>/challenge/<int:year>/", views.challenge, name="challenge"),
    path("readers/<str:username>/stats/", views.stats, name="stats"),
    path("readers/<str:username>/stats/<int:year>/", views.stats, name="stats-year"),
    path("readers/<str:username>/follow/", social_views.follow, name="follow"),
    path("readers/<str:username>/unfollow/", social_views.unfollow, name="unfollow"),
    path("readers/<str:username>/block/", social_views.block, name="block"),
    path("readers/<str:username>/unblock/", social_views.unblock, name="unblock"),
    path("readers/<str:username>/mute/", social_views.mute, name="mute"),
    path("readers/<str:username>/unmute/", social_views.unmute, name="unmute"),
    path(
        "readers/<str:username>/followers/",
        social_views.people,
        {"which": "followers"},
        name="followers",
    ),
    path(
        "readers/<str:username>/following/",
        social_views.people,
        {"which": "following"},
        name="following",
    ),
    path(
        "readers/<str:username>/friends/",
        social_views.people,
        {"which": "friends"},
        name="friends",
    ),
    path("follow-requests/", social_views.follow_requests, name="follow-requests"),
    path(
        "follow-requests/<str:username>/approve/",
        social_views.follow_request_answer,
        {"answer": "approve"},
        name="follow-request-approve",
    ),
    path(
        "follow-requests/<str:username>/decline/",
        social_views.follow_request_answer,
        {"answer": "decline"},
        name="follow-request-decline",
    ),
    path("feed/", social_views.feed, name="feed"),
]
