"""The staff page of connection statistics (ACC-9, REP-1): aggregates of the connection log for the
data protection office and administrators, never a row of it and never an address. Anyone else
logged in gets a 404, as if the page did not exist; an anonymous visitor is sent to the login page.

Pages are asked for in English (language cookie) so that the assertions read the source strings.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.traffic.models import Connection
from guichet.traffic.services import record_connection

pytestmark = pytest.mark.django_db

STATISTICS = reverse("traffic:statistics")
FULL_IP = "203.0.113.77"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture
def traffic(db):
    """Five page views of the last days, and one from 40 days ago."""
    views = [
        (FIREFOX, "/", "fr", False, 1),
        (FIREFOX, "/my/", "fr", True, 1),
        (IPHONE, "/my/", "nl", True, 2),
        (IPHONE, "/contact/", "nl", False, 3),
        (IPHONE, "/", "en", False, 10),
        (FIREFOX, "/terms/", "fr", False, 40),
    ]
    for agent, path, language, authenticated, days_ago in views:
        with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
            record_connection(ip=FULL_IP, user_agent=agent, path=path, language=language,
                              authenticated=authenticated)


def as_user(log_in, user) -> Client:
    client = log_in(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize("role", [StaffRole.DPO_OFFICE, StaffRole.ADMINISTRATOR])
def test_it_shows_aggregates_to_the_dpo_office_and_administrators(log_in, staff, traffic, role):
    response = as_user(log_in, staff(role)).get(STATISTICS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 pages seen, of which 2 by logged-in people." in page
    for shown in ("Firefox", "Mobile Safari", "desktop", "mobile", "/my/", "/contact/", "nl"):
        assert f"<td>{shown}</td>" in page
    assert "<td>/terms/</td>" not in page  # 40 days ago: outside the default 30 days


@pytest.mark.rule("ACC-9")
def test_it_counts_each_aggregate_right(log_in, staff, traffic):
    page = as_user(log_in, staff(StaffRole.DPO_OFFICE)).get(STATISTICS).content.decode()
    assert "<td>Mobile Safari</td><td>3</td>" in page
    assert "<td>Firefox</td><td>2</td>" in page
    assert "<td>/my/</td><td>2</td>" in page


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize(("days", "expected"), [
    ("7", "4 pages seen"), ("30", "5 pages seen"), ("90", "6 pages seen")])
def test_it_shows_the_chosen_period(log_in, staff, traffic, days, expected):
    page = as_user(log_in, staff(StaffRole.DPO_OFFICE)).get(STATISTICS, {"days": days}).content.decode()
    assert expected in page


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize("days", ["abc", "-1", "100000", "", "<script>", "7.5"])
def test_it_falls_back_to_30_days_for_a_period_not_offered(log_in, staff, traffic, days):
    response = as_user(log_in, staff(StaffRole.DPO_OFFICE)).get(STATISTICS, {"days": days})
    assert response.status_code == 200
    assert "5 pages seen" in response.content.decode()


@pytest.mark.rule("ACC-9")
def test_it_shows_no_ip_address(log_in, staff, traffic):
    page = as_user(log_in, staff(StaffRole.ADMINISTRATOR)).get(STATISTICS, {"days": "90"}).content.decode()
    assert FULL_IP not in page
    assert "203.0.113" not in page  # not even the shortened form: the page shows aggregates only


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize("who", ["member", "other_member", StaffRole.AGENT, StaffRole.MODERATOR,
                                 StaffRole.FRAUD_UNIT, StaffRole.ADVISING_PHYSICIAN])
def test_it_answers_404_to_strangers(request, log_in, staff, traffic, who):
    user = request.getfixturevalue(who) if who in {"member", "other_member"} else staff(who)
    response = as_user(log_in, user).get(STATISTICS)
    assert response.status_code == 404
    assert "pages seen" not in response.content.decode()


@pytest.mark.rule("ACC-1")
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, traffic):
    response = client.get(STATISTICS)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={STATISTICS}"
    assert Connection.objects.count() == 6  # and the redirect is not a page view
