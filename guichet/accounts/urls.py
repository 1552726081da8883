"""URLs of the account pages."""

from django.urls import path, register_converter

from guichet.accounts import views


class FlowConverter:
    """The two identification flows: opening an account and resetting its password."""

    regex = "register|reset"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FlowConverter, "flow")

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.second_factor, name="second-factor"),
    path("logout/", views.logout_view, name="logout"),
    path("<flow:flow>/", views.identify, name="identify"),
    path("<flow:flow>/code/", views.enter_code, name="code"),
    path("<flow:flow>/password/", views.choose_password, name="password"),
    path("security/", views.security, name="security"),
    path("security/password/", views.change_password, name="change-password"),
    path("security/authenticator/", views.totp_setup, name="totp-setup"),
    path("security/confirm/", views.reauthenticate, name="reauthenticate"),
    path("staff/restrictions/", views.restrictions, name="restrictions"),
    path("staff/restrictions/<uuid:person_id>/new/", views.restrict, name="restrict"),
    path("staff/restrictions/<uuid:restriction_id>/lift/", views.lift, name="lift"),
]
