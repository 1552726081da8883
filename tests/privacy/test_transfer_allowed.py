"""PRIV-6: transfers outside the EEA only on the grounds the register allows for the context."""

import pytest

from guichet.privacy.register import TRANSFER_GROUNDS, load_register
from guichet.privacy.services import eea_countries, transfer_allowed

pytestmark = pytest.mark.rule("PRIV-6")

CONTEXTS = ["operations", "compulsory", "complementary", "insurance_company"]


def test_the_eea_is_the_eu_27_and_iceland_liechtenstein_norway():
    eea = eea_countries()
    assert len(eea) == 30
    assert {"BE", "FR", "NL", "DE", "GR", "IS", "LI", "NO"} <= eea
    assert not {"CH", "GB", "US", "TR"} & eea


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("country", ["BE", "no", " ie "])
def test_inside_the_eea_a_transfer_is_always_allowed(context, country):
    assert transfer_allowed(context, country, None).allowed


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("ground", TRANSFER_GROUNDS)
def test_outside_the_eea_only_the_grounds_of_the_register_are_allowed(context, ground):
    allowed = ground in load_register().context(context).transfers.allowed_grounds
    decision = transfer_allowed(context, "US", ground)
    assert decision.allowed is allowed
    assert decision.reason


def test_the_register_follows_the_catalogue():
    register = load_register()
    for context in ("operations", "complementary"):
        assert register.context(context).transfers.allowed_grounds == ("consent",)
    for context in ("compulsory", "insurance_company"):
        assert set(register.context(context).transfers.allowed_grounds) == set(TRANSFER_GROUNDS)


@pytest.mark.parametrize(("context", "country", "ground"), [
    ("operations", "XX", "consent"), ("operations", "", "consent"), ("operations", None, "consent"),
    ("operations", "USA", "consent"), ("compulsory", "US", "bribery"), ("compulsory", "US", None),
    ("nowhere", "US", "consent"), ("nowhere", "BE", "consent"),
])
def test_unknown_input_is_refused_not_raised(context, country, ground):
    decision = transfer_allowed(context, country, ground)
    assert decision.allowed is False and decision.reason
