"""The one staff policy: the back office's actions join accounts' table, so both answer alike, and the
accounts' own staff actions keep working."""

import pytest
from django.core.checks import run_checks

from guichet.accounts import policy as accounts_policy
from guichet.accounts.models import StaffRole
from guichet.backoffice import policy
from guichet.backoffice.checks import role_problems
from guichet.backoffice.roles import ROLES, ProcessorTask, RoleSpec

pytestmark = pytest.mark.django_db


@pytest.mark.rule("ACL-1")
def test_it_is_one_table_for_accounts_and_the_back_office(staff):
    assert policy.STAFF_ACTIONS is accounts_policy.STAFF_ACTIONS
    physician = staff(StaffRole.ADVISING_PHYSICIAN)
    assert accounts_policy.staff_may(physician, "grant_delegation")
    assert not accounts_policy.staff_may(staff(StaffRole.AGENT), "grant_delegation")
    assert policy.staff_may(staff(StaffRole.AGENT), "restrict_private_area")  # accounts' own action
    assert not policy.staff_may(staff(StaffRole.MODERATOR), "restrict_private_area")


@pytest.mark.rule("ACL-1")
def test_it_gives_members_no_staff_right(member):
    assert not any(policy.staff_may(member, action) for action in policy.STAFF_ACTIONS)


@pytest.mark.rule("ACL-1")
@pytest.mark.rule("ACL-5")
def test_the_roles_data_agree_with_the_register_and_the_data_map():
    assert role_problems() == []
    assert not [message for message in run_checks() if message.id and message.id.startswith("backoffice.")]


@pytest.mark.rule("ACL-1")
def test_it_catches_a_purpose_that_is_not_in_the_register():
    roles = {"agent": RoleSpec(purposes=("operations:selling",), description="x")}
    assert role_problems(roles) == ["role agent: the purpose 'operations:selling' is not in the register"]


@pytest.mark.rule("ACL-5")
@pytest.mark.rule("DISC-3")
def test_it_catches_a_processor_field_outside_the_task_of_the_register():
    task = ProcessorTask(
        "operations", "mail_document_handling", {"members.Person": ("national_number", "nickname")}
    )
    roles = {"print_house": RoleSpec(purposes=("operations:ebox",), description="x", processor=task)}
    assert role_problems(roles) == [
        "role print_house: members.Person.national_number (national_register) is outside the task of the "
        "processor 'mail_document_handling'",
        "role print_house: members.Person.nickname is not a personal field of the data map",
    ]


@pytest.mark.rule("ACL-5")
def test_every_staff_role_has_its_spec():
    assert set(ROLES) == set(StaffRole)
    assert (
        ROLES[StaffRole.PROCESSOR_CALL_CENTRE].processor and ROLES[StaffRole.PROCESSOR_PRINT_HOUSE].processor
    )
