"""URLs of the cookies app: the public policy, the choice and the beacon; the staff visit statistics."""

from django.urls import path

from guichet.cookies import views

app_name = "cookies"
urlpatterns = [
    path("cookies/", views.cookie_policy, name="policy"),
    path("cookies/choose/", views.choose, name="choose"),
    path("cookies/beacon/", views.beacon, name="beacon"),
    path("staff/visits/", views.visit_statistics_page, name="statistics"),
]
