"""Pages of the ebox app: the member's inbox, download and read status, the e-Box setting, the seal check,
and the staff page that issues a document from an open file. Mounted at the root.

A document is named by `?document=<id>` (query or form field): without one, the pages go back to the inbox;
with one that is not in the open file's e-Box, they answer 404."""

from django.urls import path

from guichet.ebox import views

app_name = "ebox"
urlpatterns = [
    path("my/ebox/", views.inbox, name="inbox"),
    path("my/ebox/download/", views.download, name="download"),
    path("my/ebox/read-status/", views.mark, name="mark"),
    path("my/ebox/check/", views.check, name="check"),
    path("my/settings/ebox/", views.settings_page, name="settings"),
    path("staff/ebox/issue/", views.staff_open_files, name="staff-open-files"),
    path("staff/files/<uuid:access_id>/ebox/issue/", views.staff_issue, name="staff-issue"),
]
