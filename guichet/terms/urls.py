"""URLs of the terms pages."""

from django.urls import path

from guichet.terms import views

app_name = "terms"
urlpatterns = [
    path("", views.show, name="current"),
    path("<slug:document>/", views.show, name="document"),
    path("<slug:document>/accept/", views.accept, name="accept"),
    path("<slug:document>/v/<str:version>/", views.show, name="version"),
]
