"""URLs of "My data": the member's own file only (request.subject); no URL takes a person id."""

from django.urls import path

from guichet.members import views

app_name = "members"
urlpatterns = [
    path("", views.my_data, name="my-data"),
    path("address/", views.change_address, name="change-address"),
    path("email/", views.change_contact, {"kind": "email"}, name="change-email"),
    path("email/verify/", views.verify_contact, {"kind": "email"}, name="verify-email"),
    path("mobile/", views.change_contact, {"kind": "mobile"}, name="change-mobile"),
    path("mobile/verify/", views.verify_contact, {"kind": "mobile"}, name="verify-mobile"),
]
