"""Pages of the retention app: the staff page of the retention plan, runs and legal holds."""

from django.urls import path

from guichet.retention import views

app_name = "retention"
urlpatterns = [
    path("staff/retention/", views.overview, name="overview"),
    path("staff/retention/holds/", views.place_hold, name="place-hold"),
    path("staff/retention/holds/<uuid:public_id>/lift/", views.lift_hold, name="lift-hold"),
]
