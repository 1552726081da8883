"""URLs of the communication app: the member's settings, the public pages (non-members' choice and the
signed links of campaign e-mails) and the staff pages. Mounted at the root: each path says where it lives."""

from django.urls import path

from guichet.communication import views

app_name = "communication"
urlpatterns = [
    path("my/settings/communication/", views.my_settings, name="my-settings"),
    path("communication/choice/", views.non_member_choice, name="choice"),
    path("communication/choice/recorded/", views.choice_recorded, name="choice-recorded"),
    path("communication/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("communication/open/<str:token>/", views.opened, name="open"),
    path("communication/click/<str:token>/", views.click, name="click"),
    path("staff/campaigns/", views.campaign_list, name="campaigns"),
    path("staff/campaigns/new/", views.campaign_new, name="campaign-new"),
    path("staff/campaigns/<uuid:public_id>/", views.campaign_detail, name="campaign"),
    path("staff/campaigns/<uuid:public_id>/send/", views.campaign_send, name="campaign-send"),
    path("staff/do-not-call/", views.do_not_call, name="do-not-call"),
]
