"""The connection log (ACC-9): each HTML page served writes one Connection row with the time, the IP
address shortened before storage (IPv4 without its last octet, IPv6 reduced to its /48 network),
the browser and device family read from the User-Agent, the path and the language. The full address
is stored nowhere. Static files, redirects, POSTs and error pages are not page views.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.views import serve as serve_static
from django.db import connection, models
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, re_path, reverse

import guichet.urls
from guichet.traffic.models import Connection, DeviceFamily
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FULL_IPV4 = "203.0.113.77"
FULL_IPV6 = "2001:db8:abcd:12:1:2:3:4"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@login_not_required
def _html_under_static(request):
    return HttpResponse("<!doctype html><p>an HTML file among the static files</p>")


# A URL map for the static-files test: the project's pages, plus static files served the way
# `runserver` does in development (so that they answer 200 and the middleware does see them).
urlpatterns = [
    path("static/offline.html", _html_under_static),
    re_path(r"^static/(?P<path>.*)$", login_not_required(serve_static), {"insecure": True}),
    *guichet.urls.urlpatterns,
]


def browse(client, url="/", *, ip=FULL_IPV4, agent=FIREFOX, language="en", **extra):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent, **extra)


# --- what a page view records -------------------------------------------------------------------------

@pytest.mark.rule("ACC-9")
def test_it_records_a_page_view_with_the_ip_without_its_last_octet(client, terms):
    moment = datetime(2026, 6, 1, 8, 15, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        response = browse(client, "/", language="nl")
    assert response.status_code == 200
    [row] = Connection.objects.all()
    assert row.ip_prefix == "203.0.113.0"
    assert (row.browser_family, row.device_family) == ("Firefox", DeviceFamily.DESKTOP)
    assert (row.path, row.language, row.authenticated) == ("/", "nl", False)
    assert row.at == moment


@pytest.mark.rule("ACC-9")
def test_it_keeps_only_the_48_bit_network_of_an_ipv6_address(client, terms):
    browse(client, ip=FULL_IPV6)
    assert Connection.objects.get().ip_prefix == "2001:db8:abcd::"


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize(("agent", "browser", "device"), [
    (FIREFOX, "Firefox", DeviceFamily.DESKTOP),
    (IPHONE, "Mobile Safari", DeviceFamily.MOBILE),
    (ANDROID, "Chrome Mobile", DeviceFamily.MOBILE),
    (IPAD, "Mobile Safari", DeviceFamily.TABLET),
    (GOOGLEBOT, "Googlebot", DeviceFamily.BOT),
    ("", "Other", DeviceFamily.OTHER),
])
def test_it_records_the_browser_and_device_family(client, terms, agent, browser, device):
    browse(client, agent=agent)
    row = Connection.objects.get()
    assert (row.browser_family, row.device_family) == (browser, device)


@pytest.mark.rule("ACC-9")
def test_it_records_each_page_a_logged_in_member_visits(client, member, log_in):
    log_in(client, member)
    for url in (reverse("pages:private-home"), reverse("accounts:security"), reverse("pages:private-home")):
        assert browse(client, url).status_code == 200
    rows = Connection.objects.order_by("id")
    assert [row.path for row in rows] == ["/my/", "/accounts/security/", "/my/"]
    assert all(row.authenticated for row in rows)


@pytest.mark.rule("ACC-9")
def test_it_answers_odd_request_data_and_stores_nothing_of_it_raw(client, terms):
    response = browse(client, ip="not an address", agent="<script>" + "x" * 5000)
    assert response.status_code == 200
    row = Connection.objects.get()
    assert row.ip_prefix == "" and len(row.browser_family) <= 50


# --- the full address is stored nowhere ----------------------------------------------------------------

def _text_columns_of_connection_rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Connection._meta.db_table}")  # noqa: S608 - a model's own table
        return [str(value) for row in cursor.fetchall() for value in row if value is not None]


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


def _text_fields_holding(text: str) -> list[str]:
    """Every text column of every table that holds `text`, as "app.Model.field"."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                as_text = model._default_manager.annotate(_as_text=Cast(field.name, models.TextField()))
                if as_text.filter(_as_text__contains=text).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize(("ip", "prefix"), [(FULL_IPV4, "203.0.113.0"), (FULL_IPV6, "2001:db8:abcd::")])
def test_it_stores_the_full_ip_nowhere(client, member, ip, prefix):
    browse(client, "/", ip=ip)
    client.post(reverse("accounts:login"), {"login": member.username, "password": PASSWORD}, REMOTE_ADDR=ip)
    browse(client, reverse("pages:private-home"), ip=ip)
    assert Connection.objects.count() == 2
    assert not [value for value in _text_columns_of_connection_rows() if ip in value]
    assert _text_fields_holding(ip) == []
    assert "traffic.Connection.ip_prefix" in _text_fields_holding(prefix)  # the search finds what is stored


@pytest.mark.rule("ACC-9")
def test_it_ignores_a_forged_forwarded_address_when_not_behind_a_proxy(client, terms):
    browse(client, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert Connection.objects.get().ip_prefix == "203.0.113.0"


@pytest.mark.rule("ACC-9")
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_it_takes_the_address_the_trusted_proxy_saw_not_one_the_client_sent(client, terms):
    """The proxy appends the address it saw; anything before it came from the client and may be forged."""
    browse(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9, 192.0.2.44")
    assert Connection.objects.get().ip_prefix == "192.0.2.0"


# --- what is not a page view ----------------------------------------------------------------------------

@pytest.mark.rule("ACC-9")
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/static/css/guichet.css", "/static/offline.html"])
def test_it_does_not_log_static_files(client, terms, url):
    response = browse(client, url)
    assert response.status_code == 200
    assert not Connection.objects.exists()


@pytest.mark.rule("ACC-9")
def test_it_does_not_log_redirects(client, terms):
    response = browse(client, reverse("pages:private-home"))
    assert response.status_code == 302
    assert not Connection.objects.exists()


@pytest.mark.rule("ACC-9")
def test_it_does_not_log_posts(client, member):
    response = client.post(reverse("accounts:login"), {"login": member.username, "password": "not it"},
                           REMOTE_ADDR=FULL_IPV4, HTTP_USER_AGENT=FIREFOX)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not Connection.objects.exists()


@pytest.mark.rule("ACC-9")
def test_it_does_not_log_pages_not_found(client, terms):
    response = browse(client, "/no-such-page/")
    assert response.status_code == 404
    assert not Connection.objects.exists()
