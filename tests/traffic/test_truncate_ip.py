"""The shortened address, the only one ever stored (ACC-9, COOK-7)."""

import pytest

from guichet.traffic.ip import truncate_ip


@pytest.mark.rule("ACC-9")
@pytest.mark.parametrize(("address", "stored"), [
    ("203.0.113.77", "203.0.113.0"),
    ("::ffff:203.0.113.77", "203.0.113.0"),
    ("2001:db8:1:2::5", "2001:db8:1::"),
    ("not an address", ""),
    ("", ""),
])
def test_it_drops_the_part_that_points_at_one_device(address, stored):
    assert truncate_ip(address) == stored
