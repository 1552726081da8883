"""The scheduled MAF batch and its command (AUTO-5): a year without rules is skipped, nothing paid; the
command runs a year's batch and reruns pay nothing twice."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from guichet.decisions.models import CareLine, MafRefund
from guichet.decisions.services import set_household_income
from guichet.decisions.tasks import maf_batch
from tests.decisions.conftest import ROLE, household, new_person

pytestmark = pytest.mark.django_db


@pytest.mark.rule("AUTO-5")
def test_the_nightly_batch_is_scheduled_and_skips_a_year_without_rules(db):
    assert settings.CELERY_BEAT_SCHEDULE["decisions-maf-batch"]["task"] == "guichet.decisions.tasks.maf_batch"
    with time_machine.travel(datetime.datetime(2031, 3, 1, tzinfo=datetime.UTC)):
        assert maf_batch() == {}
    assert not MafRefund.objects.exists()


@pytest.mark.rule("AUTO-5")
def test_the_command_runs_the_batch_of_a_year_once(db):
    ann = new_person("Ann", datetime.date(1980, 2, 1))
    home = household((ann, ROLE.REFERENCE))
    set_household_income(home, year=2022, amount="10000")  # 254.99 EUR
    CareLine.objects.create(person=ann, care_date=datetime.date(2024, 5, 1), amount_cents=30000,
                            recorded_at=datetime.datetime.now(datetime.UTC))
    out = StringIO()
    call_command("maf_batch", "--year", "2024", stdout=out)
    assert "1 refunds, 45.01 EUR" in out.getvalue()
    call_command("maf_batch", "--year", "2024", stdout=StringIO())
    assert MafRefund.objects.count() == 1
    with pytest.raises(CommandError, match="no rules for 2031"):
        call_command("maf_batch", "--year", "2031")
