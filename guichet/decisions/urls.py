"""Pages of the decisions app."""

from django.urls import path

from guichet.decisions import views

app_name = "decisions"
urlpatterns = [
    path("my/decisions/", views.my_decisions, name="my-decisions"),
    path("my/decisions/show/", views.my_decision, name="my-decision"),
    path("my/maf/", views.my_maf, name="my-maf"),
    path("my/bim/request/", views.request_bim, name="request-bim"),
    path("staff/decisions/reviews/", views.review_queue, name="review-queue"),
    path("staff/decisions/reviews/<uuid:review_id>/", views.review_detail, name="review"),
    path("staff/decisions/inputs/", views.staff_inputs, name="inputs"),
]
