from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviewers/<int:pk>/", views.reviewer_detail, name="reviewer"),
]
