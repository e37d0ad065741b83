from django.urls import path

from . import views

app_name = "books"

urlpatterns = [
    path("", views.book_list, name="list"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.book_detail, name="detail"),
    path("<int:pk>/cover.svg", views.book_cover, name="cover"),
    path("authors/<int:pk>/", views.author_detail, name="author"),
]
