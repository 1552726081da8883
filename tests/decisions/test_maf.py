"""The maximum billing (AUTO-5): co-payments of the National Register household of 1 January against the
ceiling of its income bracket (income of N-2 per the 2024 rule set), the social MAF of BIM households, the
child ceiling; refunds of everything above, as a running counter and a yearly batch, never paid twice; bad
input refused with nothing paid; the member's MAF page with its chart and table."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from guichet.decisions import maf, services
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import BimRight, CareLine, Decision, HouseholdIncome, MafAccount, MafRefund
from guichet.ebox.models import Document
from guichet.ebox.services import set_ebox_active
from guichet.members.models import HouseholdMembership
from tests.decisions.conftest import ROLE, deliver, household, new_person

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def family():
    ann = new_person("Ann", datetime.date(1980, 2, 1))
    bert = new_person("Bert", datetime.date(1982, 4, 1))
    cleo = new_person("Cleo", datetime.date(2015, 4, 1))
    home = household((ann, ROLE.REFERENCE), (bert, ROLE.PARTNER), (cleo, ROLE.CHILD))
    services.set_household_income(home, year=YEAR - 2, amount="30000.00")  # 746.66 EUR bracket in 2024
    return home, ann, bert, cleo


def lines(*rows):
    for person, day, amount in rows:
        CareLine.objects.create(person=person, care_date=day, amount_cents=amount,
                                recorded_at=datetime.datetime.now(datetime.UTC))


def refunded(home) -> int:
    return MafAccount.objects.get(household=home, year=YEAR).refunded_cents


@pytest.mark.rule("AUTO-5")
def test_the_batch_refunds_everything_above_the_income_ceiling_once(family):
    home, ann, bert, cleo = family
    lines((ann, datetime.date(YEAR, 2, 1), 40000), (bert, datetime.date(YEAR, 5, 1), 30000),
          (cleo, datetime.date(YEAR, 8, 1), 10000), (ann, datetime.date(YEAR - 1, 12, 31), 90000))
    report = maf.run_maf(YEAR)
    assert report.refunds == 1 and report.refunded_cents == 80000 - 74666
    decision = Decision.objects.get(kind="maf")
    assert decision.subject == ann  # the reference person of 1 January
    assert decision.explanation["en"].startswith(
        "Your household's co-payments reached 800.00 EUR in 2024, above the ceiling of 746.66 EUR")
    assert decision.inputs["income_year"] == YEAR - 2
    again = maf.run_maf(YEAR)
    assert again.refunds == 0 and refunded(home) == 5334
    lines((bert, datetime.date(YEAR, 11, 3), 1000))
    assert maf.run_maf(YEAR).refunded_cents == 1000
    assert sum(MafRefund.objects.values_list("amount_cents", flat=True)) == refunded(home) == 6334


@pytest.mark.rule("AUTO-5")
def test_the_running_counter_refunds_as_care_lines_arrive(family):
    home, ann, bert, cleo = family
    maf.record_care_line(ann, care_date=datetime.date(YEAR, 3, 1), amount="700.00")
    assert not MafRefund.objects.exists()
    maf.record_care_line(bert, care_date=datetime.date(YEAR, 4, 1), amount="100,50")
    assert refunded(home) == 70000 + 10050 - 74666
    maf.run_maf(YEAR)  # the yearly batch afterwards pays nothing more
    assert MafRefund.objects.count() == 1


@pytest.mark.rule("AUTO-5")
def test_the_household_is_the_one_of_1_january(family):
    home, ann, bert, cleo = family
    lodger = new_person("Lou", datetime.date(1990, 1, 1))
    HouseholdMembership.objects.create(household=home, person=lodger, role=ROLE.OTHER, start=datetime.date(YEAR, 2, 1))
    lines((lodger, datetime.date(YEAR, 3, 1), 100000), (ann, datetime.date(YEAR, 3, 1), 70000))
    maf.run_maf(YEAR)
    assert not MafRefund.objects.exists()  # Lou joined after 1 January: not counted this year
    assert MafAccount.objects.get(household=home).counted_cents == 70000


@pytest.mark.rule("AUTO-5", "AUTO-4")
def test_a_bim_household_has_the_social_ceiling(family):
    home, ann, bert, cleo = family
    decision = Decision.objects.create(kind="bim_automatic", subject=ann, rule_set="r", outcome="granted",
                                       decided_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.UTC))
    BimRight.objects.create(person=ann, source="automatic", ground="orphan", start=datetime.date(2023, 5, 1),
                            decision=decision)
    lines((bert, datetime.date(YEAR, 3, 1), 60000))
    maf.run_maf(YEAR)
    assert refunded(home) == 60000 - 51692
    assert "social MAF" in Decision.objects.get(kind="maf").explanation["en"]


@pytest.mark.rule("AUTO-5")
def test_a_child_has_an_individual_ceiling(family):
    home, ann, bert, cleo = family
    services.set_household_income(home, year=YEAR - 2, amount="90000")  # top bracket: 2,067.66 EUR
    lines((cleo, datetime.date(YEAR, 3, 1), 80000))
    maf.run_maf(YEAR)
    assert refunded(home) == 80000 - 74666
    assert "child under 19" in Decision.objects.get(kind="maf").explanation["en"]


@pytest.mark.rule("AUTO-5")
@pytest.mark.parametrize("amount, message", [("-12.00", "cannot be negative"), ("abc", "is not an amount"),
                                             ("1.234", "two decimals")])
def test_it_refuses_bad_amounts_and_pays_nothing(family, amount, message):
    home, ann, bert, cleo = family
    with pytest.raises(DecisionError, match=message):
        maf.record_care_line(ann, care_date=datetime.date(YEAR, 3, 1), amount=amount)
    assert not CareLine.objects.exists() and not MafRefund.objects.exists()


@pytest.mark.rule("AUTO-5")
def test_an_import_with_an_unknown_person_is_refused_whole(family):
    home, ann, bert, cleo = family
    text = f"national_number;date;amount\n{ann.national_number};2024-03-01;900.00\n99999999999;2024-03-02;10\n"
    with pytest.raises(DecisionError, match="Line 3: no person"):
        maf.import_care_lines(text)
    assert not CareLine.objects.exists() and not MafRefund.objects.exists()
    assert maf.import_care_lines(text.splitlines()[0] + "\n" + text.splitlines()[1]) == 1
    assert refunded(home) == 90000 - 74666


@pytest.mark.rule("AUTO-5")
def test_a_household_without_income_data_is_paid_nothing(family):
    home, ann, bert, cleo = family
    HouseholdIncome.objects.all().delete()
    maf.record_care_line(ann, care_date=datetime.date(YEAR, 3, 1), amount="2000")
    report = maf.run_maf(YEAR)
    assert report.without_income == 1 and not MafRefund.objects.exists()
    with pytest.raises(DecisionError, match="income of your household for 2022 is not known"):
        maf.maf_overview(ann, YEAR)


@pytest.mark.rule("AUTO-5")
def test_a_year_without_rules_is_refused(family):
    home, ann, bert, cleo = family
    with pytest.raises(DecisionError, match="no rules for 2026"):
        maf.run_maf(2026)
    with pytest.raises(DecisionError, match="no rules for 2026"):
        maf.record_care_line(ann, care_date=datetime.date(2026, 3, 1), amount="10")
    assert not CareLine.objects.exists()


@pytest.mark.rule("AUTO-5")
def test_the_first_refund_sends_the_maf_certificate_to_the_ebox(family, personas):
    home, ann, bert, cleo = family
    from guichet.members.models import Affiliation, Context

    Affiliation.objects.create(person=ann, context=Context.COMPULSORY, start=ann.birth_date)
    set_ebox_active(ann, True, actor=ann)
    lines((ann, datetime.date(YEAR, 3, 1), 80000))
    maf.run_maf(YEAR)
    lines((ann, datetime.date(YEAR, 4, 1), 1000))
    maf.run_maf(YEAR)
    deliver()
    assert Document.objects.filter(person=ann, doc_type="maf_certificate").count() == 1


@pytest.mark.rule("AUTO-5")
def test_the_member_sees_the_maf_page_with_chart_and_table(client, log_in, member):
    marie = member.person
    home = HouseholdMembership.objects.get(person=marie).household
    HouseholdMembership.objects.filter(household=home).update(start=datetime.date(2010, 1, 1))
    services.set_household_income(home, year=YEAR - 2, amount="15000")  # 516.92 EUR bracket
    with transaction.atomic():
        maf.record_care_line(marie, care_date=datetime.date(YEAR, 2, 10), amount="300")
        maf.record_care_line(marie, care_date=datetime.date(YEAR, 6, 10), amount="300")
    log_in(client, member)
    response = client.get(reverse("decisions:my-maf"), {"year": YEAR})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img" aria-labelledby="maf-chart-title"' in body and "<rect" in body
    assert "<caption>Co-payments of the household in 2024</caption>" in body
    assert "600.00" in body and "516.92" in body and "83.08" in body
    assert client.get(reverse("decisions:my-maf"), {"year": 2031}).status_code == 200  # the refusal, shown
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(reverse("decisions:my-maf"), {"year": YEAR}).content.decode()
    svg = french[french.index("<svg"):french.index("</svg>")]
    assert "600,00" in french and not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', svg)  # SVG numbers stay numbers


@pytest.mark.rule("AUTO-5")
def test_the_maf_page_shows_only_the_open_files_household(client, log_in, stranger, member):
    marie = member.person
    home = HouseholdMembership.objects.get(person=marie).household
    HouseholdMembership.objects.filter(household=home).update(start=datetime.date(2010, 1, 1))
    services.set_household_income(home, year=YEAR - 2, amount="15000")
    maf.record_care_line(marie, care_date=datetime.date(YEAR, 2, 10), amount="432.10")
    log_in(client, stranger)
    body = client.get(reverse("decisions:my-maf"), {"year": YEAR}).content.decode()
    assert "432.10" not in body
