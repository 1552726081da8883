"""URLs of "My record": the member's own entries only (request.subject); no URL takes a person id."""

from django.urls import path

from guichet.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.my_record, name="my-record"),
]
