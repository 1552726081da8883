"""URLs of the privacy pages (all public: the declaration is for everyone, PRIV-2; the DPO form, PRIV-3)."""

from django.urls import path

from guichet.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.declaration, name="declaration"),
    path("v/<int:version>/", views.declaration, name="declaration-version"),
    path("register.json", views.register_json, name="register-json"),
    path("v/<int:version>/register.json", views.register_json, name="register-json-version"),
    path("contact-dpo/", views.contact_dpo, name="contact-dpo"),
    path("contact-dpo/sent/", views.contact_dpo_sent, name="contact-dpo-sent"),
]
