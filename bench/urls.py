"""URLs of the benchmark endpoints, mounted at /_bench/ when GUICHET_BENCH_ENDPOINTS is true."""

from django.urls import path

from bench import views

app_name = "bench"
urlpatterns = [
    path("person/<int:pk>/", views.person, name="person"),
    path("ping/", views.ping, name="ping"),
]
