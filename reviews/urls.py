from django.urls import path

from . import community_views, views

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
    path("reviews/<int:pk>/", community_views.review_detail, name="detail"),
    path("reviews/<int:pk>/comments/", community_views.review_comment, name="comment-create"),
    path("reviews/<int:pk>/likes/", community_views.review_likers, name="likers"),
    path("comments/<int:pk>/", community_views.comment_detail, name="comment"),
    path("comments/<int:pk>/edit/", community_views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", community_views.comment_delete, name="comment-delete"),
    path("notifications/", community_views.notifications, name="notifications"),
    path("report/<str:kind>/<str:key>/", community_views.report, name="report"),
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
]
