"""Pages of the signing app: the member's documents to sign and signed (/my/signatures/; a document is
named by `?r=<id>`, so a missing one goes back to the list), a lost or stolen card report, the grantor's
"sign this mandate", and the staff page recording a report made by phone or at the counter."""

from django.urls import path

from guichet.signing import views

app_name = "signing"
urlpatterns = [
    path("my/signatures/", views.signature_list, name="list"),
    path("my/signatures/lost-card/", views.lost_card, name="lost-card"),
    path("my/signatures/document/", views.signature_detail, name="detail"),
    path("my/signatures/document/content/", views.signature_content, name="content"),
    path("my/signatures/document/upload/", views.upload, name="upload"),
    path("my/signatures/document/test-card/", views.sign_with_test_card, name="test-card"),
    path("my/signatures/document/verify/", views.verify_again, name="verify"),
    path("my/mandates/<uuid:mandate_id>/sign/", views.sign_mandate, name="sign-mandate"),
    path("staff/signing/lost-card/", views.staff_lost_card, name="staff-lost-card"),
]
