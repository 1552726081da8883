"""URLs of the back office (under /staff/back-office/), the member's "Who saw my file" page and the public
list of who processes health data."""

from django.urls import path

from guichet.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("staff/back-office/", views.desk, name="desk"),
    path("staff/back-office/confidentiality/", views.acknowledge_confidentiality, name="confidentiality"),
    path("staff/back-office/persons/<uuid:person_id>/open/", views.open_file, name="open-file"),
    path("staff/back-office/files/<uuid:access_id>/", views.file_page, name="file"),
    path("staff/back-office/delegations/", views.delegations, name="delegations"),
    path(
        "staff/back-office/delegations/<uuid:delegation_id>/revoke/",
        views.revoke_delegation,
        name="revoke-delegation",
    ),
    path("staff/back-office/disclosures/", views.disclosures, name="disclosures"),
    path("staff/back-office/disclosures/new/", views.new_disclosure, name="new-disclosure"),
    path("staff/back-office/disclosures/<uuid:request_id>/", views.disclosure, name="disclosure"),
    path("my/file-access/", views.my_file_access, name="my-file-access"),
    path("privacy/health-data-staff/", views.health_data_staff, name="health-data-staff"),
]
