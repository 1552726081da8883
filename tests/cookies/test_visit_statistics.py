"""REP-1: the staff statistics of visits, as charts of aggregates; only the staff who may see connection
statistics reach the page, everyone else gets a 404 (or the login page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.cookies.services import record_page_view, visit_statistics

pytestmark = pytest.mark.django_db

DESKTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 "
         "Mobile/15E148 Safari/604.1")


@pytest.fixture
def visits():
    now = timezone.now().replace(microsecond=0)
    yesterday = now - datetime.timedelta(days=1)
    record_page_view(token="a", path="/", user_agent=DESKTOP, language="fr", ip="203.0.113.5", at=yesterday)
    record_page_view(token="a", path="/contact/", user_agent=DESKTOP, language="fr", at=yesterday)
    record_page_view(token="b", path="/", user_agent=PHONE, language="nl", ip="203.0.113.99", at=now)
    two_months_ago = now - datetime.timedelta(days=60)
    record_page_view(token="c", path="/", user_agent=PHONE, language="nl", at=two_months_ago)
    return now


@pytest.mark.rule("REP-1")
def test_it_computes_aggregates_only(visits):
    stats = visit_statistics(visits - datetime.timedelta(days=7), visits + datetime.timedelta(seconds=1))
    assert stats["visits"] == 2 and stats["pages"] == 3 and stats["mean_pages"] == 1.5
    assert sorted((row["visits"], row["pages"]) for row in stats["per_day"]) == [(1, 1), (1, 2)]
    assert stats["devices"] == [{"key": "desktop", "count": 1}, {"key": "mobile", "count": 1}]
    assert stats["languages"] == [{"key": "fr", "count": 1}, {"key": "nl", "count": 1}]
    assert stats["top_pages"] == [{"path": "/", "count": 2}, {"path": "/contact/", "count": 1}]
    assert "203.0.113" not in repr(stats)  # nothing that belongs to one visit


@pytest.mark.rule("REP-1")
def test_staff_see_visits_pages_devices_and_languages_as_charts(client, staff, log_in, visits):
    log_in(client, staff(StaffRole.DPO_OFFICE))
    response = client.get(reverse("cookies:statistics"), {"days": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 visits, 3 pages seen, 1.5 pages per visit on average." in page
    for title in (
            "Visits per day", "Pages seen per day", "Visits per device, per day",
            "Visits per language, per day"):
        assert f'-title">{title}</title>' in page
    assert page.count('<svg class="chart"') == 4
    assert page.count("<rect ") >= 6
    assert "203.0.113" not in page
    assert "<script" not in page.split('<main')[1].split('</main>')[0]  # server-rendered, no chart library


@pytest.mark.rule("REP-1")
def test_the_period_widens_the_aggregates(client, staff, log_in, visits):
    log_in(client, staff(StaffRole.ADMINISTRATOR))
    url = reverse("cookies:statistics")
    assert "3 visits, 4 pages seen" in client.get(url, {"days": "90"}).content.decode()
    assert "2 visits, 3 pages seen" in client.get(url, {"days": "bogus"}).content.decode()


@pytest.mark.rule("REP-1")
def test_the_connection_statistics_link_to_the_visit_statistics(client, staff, log_in):
    log_in(client, staff(StaffRole.ADMINISTRATOR))
    page = client.get(reverse("traffic:statistics")).content.decode()
    assert f'href="{reverse("cookies:statistics")}"' in page


@pytest.mark.rule("REP-1")
@pytest.mark.parametrize("who", ["member", "stranger", "agent"])
def test_others_get_a_404(client, log_in, request, staff, who):
    user = staff(StaffRole.AGENT) if who == "agent" else request.getfixturevalue(who)
    log_in(client, user)
    assert client.get(reverse("cookies:statistics")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("cookies:statistics"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
