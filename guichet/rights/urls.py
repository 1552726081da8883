"""Pages of the rights app: the member's requests (the open file only), the public form, the DPO office's queue."""

from django.urls import path

from guichet.rights import views

app_name = "rights"
urlpatterns = [
    path("my/requests/", views.my_requests, name="my-requests"),
    path("my/requests/new/", views.new_request, name="new-request"),
    path("my/requests/request/", views.my_request, name="my-request"),  # ?r=<public id>: no id in the path
    path("privacy/request/", views.public_request, name="public-request"),
    path("privacy/request/sent/", views.public_request_sent, name="public-request-sent"),
    path("staff/rights/", views.queue, name="queue"),
    path("staff/rights/register/", views.register_request, name="register"),
    path("staff/rights/<uuid:request_id>/", views.staff_request, name="staff-request"),
    path("staff/rights/<uuid:request_id>/verify/", views.verify, name="verify"),
    path("staff/rights/<uuid:request_id>/extend/", views.extend, name="extend"),
    path("staff/rights/<uuid:request_id>/answer/", views.answer, name="answer"),
    path("staff/rights/<uuid:request_id>/refuse/", views.refuse, name="refuse"),
    path("staff/rights/<uuid:request_id>/id/<str:side>/", views.id_copy, name="id-copy"),
]
