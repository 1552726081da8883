"""URLs of the connection statistics."""

from django.urls import path

from guichet.traffic import views

app_name = "traffic"
urlpatterns = [path("", views.connection_statistics, name="statistics")]
