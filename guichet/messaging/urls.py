"""URLs of the development outbox."""

from django.urls import path

from guichet.messaging import views

app_name = "messaging"
urlpatterns = [path("dev/outbox/", views.outbox, name="outbox")]
