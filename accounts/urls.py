from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("readers/<str:username>/", views.profile, name="profile"),
]
