"""The demo mutual: every synthetic member gets a current Belgian address, in bulk."""

import re

import pytest

from guichet.members.demo import build_registry
from guichet.members.models import Address, Person

pytestmark = pytest.mark.django_db


def test_it_gives_every_demo_member_a_current_belgian_address(django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        built = build_registry(300, seed=7)
    assert built.persons == 300
    assert Address.objects.current().count() == Person.objects.count() == 300
    for address in Address.objects.all()[:50]:
        assert address.country == "BE" and re.fullmatch(r"[1-9]\d{3}", address.postcode) and address.city
