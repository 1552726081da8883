"""URLs of mandates: the member's own mandates under /my/mandates/ (always the actor's, whatever file
is open) and the staff pages under /staff/mandates/."""

from django.urls import path

from guichet.mandates import views

app_name = "mandates"
urlpatterns = [
    path("my/mandates/", views.mandate_list, name="list"),
    path("my/mandates/new/", views.grant, name="grant"),
    path("my/mandates/switch/", views.switch, name="switch"),
    path("my/mandates/<uuid:mandate_id>/", views.mandate_detail, name="detail"),
    path("my/mandates/<uuid:mandate_id>/accept/", views.accept, name="accept"),
    path("my/mandates/<uuid:mandate_id>/refuse/", views.refuse, name="refuse"),
    path("my/mandates/<uuid:mandate_id>/revoke/", views.revoke, name="revoke"),
    path("my/mandates/acts/<uuid:act_id>/approve/", views.approve_joint_act, name="approve-act"),
    path("staff/mandates/person/<uuid:person_id>/", views.staff_person, name="staff-person"),
    path("staff/mandates/<uuid:mandate_id>/suspend/", views.staff_suspend, name="staff-suspend"),
    path("staff/mandates/<uuid:mandate_id>/resume/", views.staff_resume, name="staff-resume"),
    path("staff/mandates/<uuid:mandate_id>/end/", views.staff_end, name="staff-end"),
    path(
        "staff/mandates/person/<uuid:person_id>/life-event/", views.staff_life_event, name="staff-life-event"
    ),
    path(
        "staff/mandates/person/<uuid:person_id>/court-decision/",
        views.staff_court_decision,
        name="staff-court-decision",
    ),
]
