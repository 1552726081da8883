"""First-party analytics (COOK-5, COOK-6, COOK-7): the beacon counts pages in visits only with consent;
a visit ends after 30 minutes without a page; the IP address is stored truncated."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from guichet.cookies.models import Visit, VisitPage
from guichet.cookies.services import CookieError, erase_expired_analytics, record_page_view, visitor_key
from tests.cookies.helpers import ANALYTICS_COOKIE, choose

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 "
         "Mobile/15E148 Safari/604.1")


def beacon(client, path="/", **extra):
    return client.post(reverse("cookies:beacon"), {"path": path}, **extra)


@pytest.mark.rule("COOK-5")
def test_the_beacon_records_nothing_without_consent(client):
    assert beacon(client).status_code == 200
    client.cookies[ANALYTICS_COOKIE] = "made-up"  # a cookie without a consent does not count either
    assert beacon(client).status_code == 200
    choose(client, "chosen", ["marketing"])
    assert beacon(client).status_code == 200
    assert not Visit.objects.exists() and not VisitPage.objects.exists()


@pytest.mark.rule("COOK-6", "COOK-7")
def test_it_counts_pages_in_one_visit_with_the_truncated_ip(client):
    choose(client, "all")
    assert beacon(client, "/", REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT=PHONE).status_code == 200
    assert beacon(client, "/contact/", REMOTE_ADDR="203.0.113.77").status_code == 200
    visit = Visit.objects.get()
    assert visit.pages == 2
    assert visit.ip_prefix == "203.0.113.0"
    assert visit.device_family == "mobile"
    assert visit.language == "en"
    assert visit.visitor == visitor_key(client.cookies[ANALYTICS_COOKIE].value)
    assert visit.visitor != client.cookies[ANALYTICS_COOKIE].value
    assert list(visit.page_views.order_by("at").values_list("path", flat=True)) == ["/", "/contact/"]


@pytest.mark.rule("COOK-6")
def test_a_visit_ends_after_30_minutes_without_activity():
    record_page_view(token="t", path="/", at=START)
    record_page_view(token="t", path="/a/", at=START + datetime.timedelta(minutes=29))
    record_page_view(token="t", path="/b/", at=START + datetime.timedelta(minutes=58, seconds=59))
    record_page_view(token="t", path="/c/", at=START + datetime.timedelta(minutes=89))
    visits = list(Visit.objects.order_by("started_at").values_list("pages", "started_at", "last_seen_at"))
    assert visits == [
        (3, START, START + datetime.timedelta(minutes=58, seconds=59)),
        (1, START + datetime.timedelta(minutes=89), START + datetime.timedelta(minutes=89)),
    ]


@pytest.mark.rule("COOK-6")
def test_the_beacon_follows_the_clock(client):
    with time_machine.travel(START, tick=False):
        choose(client, "all")
        beacon(client)
    with time_machine.travel(START + datetime.timedelta(minutes=31), tick=False):
        beacon(client)
    assert Visit.objects.count() == 2


@pytest.mark.rule("COOK-6")
def test_visitors_do_not_share_visits():
    record_page_view(token="one", path="/", at=START)
    record_page_view(token="two", path="/", at=START)
    assert Visit.objects.count() == 2


@pytest.mark.rule("COOK-7")
@pytest.mark.parametrize(("ip", "stored"), [
    ("198.51.100.23", "198.51.100.0"), ("2001:db8:1:2:3::4", "2001:db8:1::"),
    ("::ffff:192.0.2.9", "192.0.2.0"),
    ("not an ip", ""),
])
def test_it_never_stores_the_full_ip_address(ip, stored):
    record_page_view(token="t", path="/", ip=ip, at=START)
    assert Visit.objects.get().ip_prefix == stored


@pytest.mark.parametrize("path", ["", "contact", "//evil.example/", "/" + "x" * 300, "https://evil.example/"])
def test_a_bad_path_is_refused_and_records_nothing(client, path):
    choose(client, "all")
    response = beacon(client, path)
    assert response.status_code == 400
    assert "A page is a path of this site" in response.content.decode()
    assert not Visit.objects.exists()
    with pytest.raises(CookieError):
        record_page_view(token="t", path=path)


def test_the_beacon_only_accepts_post(client):
    assert client.get(reverse("cookies:beacon")).status_code == 405


@pytest.mark.rule("COOK-4")
def test_analytics_data_are_erased_after_24_months():
    record_page_view(token="old", path="/", at=START - datetime.timedelta(days=731))
    record_page_view(token="new", path="/", at=START - datetime.timedelta(days=700))
    assert erase_expired_analytics(at=START) == 2  # the old visit and its page
    assert Visit.objects.count() == 1 and VisitPage.objects.count() == 1
