"""URLs of the public pages and the homes."""

from django.urls import path

from guichet.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("my/", views.private_home, name="private-home"),
    path("my/shop/", views.shop, name="shop"),
]
