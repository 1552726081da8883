"""PRIV-1: every field of every guichet model is mapped to a register data category or declared not personal."""

import pytest
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from guichet.members import datamap as members_datamap
from guichet.members.models import Person
from guichet.privacy.checks import check_data_map
from guichet.privacy.datamap import NotPersonal, Personal, medical_fields, personal_fields, problems_for_model
from guichet.privacy.register import load_register

pytestmark = pytest.mark.rule("PRIV-1")


def test_the_full_map_passes_the_check():
    assert check_data_map() == []
    call_command("check", "--fail-level", "ERROR", verbosity=0)


@isolate_apps("guichet.members")
def test_a_field_added_without_mapping_fails():
    class Person(models.Model):
        first_name = models.CharField(max_length=100)
        nickname = models.CharField(max_length=100)

        class Meta:
            app_label = "members"

    mapping = {"id": NotPersonal("technical key"), "first_name": Personal("identification")}
    problems = problems_for_model(Person, mapping, label="members.Person", where="guichet/members/datamap.py",
                                  register=load_register())
    assert problems == ["members.Person.nickname holds data not mapped to the register: "
                        "add it to guichet/members/datamap.py"]
    mapping["nickname"] = Personal("identification")
    assert problems_for_model(Person, mapping, label="members.Person", where="x", register=load_register()) == []


def test_the_system_check_fails_on_an_unmapped_field(monkeypatch):
    monkeypatch.delitem(members_datamap.DATA_MAP["Person"], "first_name")
    errors = check_data_map()
    assert [error.msg for error in errors] == [
        "members.Person.first_name holds data not mapped to the register: add it to guichet/members/datamap.py"]
    assert errors[0].id == "privacy.E002"


def test_the_system_check_fails_on_an_unknown_category(monkeypatch):
    monkeypatch.setitem(members_datamap.DATA_MAP["Person"], "first_name", Personal("nicknames"))
    [error] = check_data_map()
    assert "members.Person.first_name maps to the unknown data category 'nicknames'" in error.msg


def test_the_system_check_fails_on_a_category_absent_from_the_named_context(monkeypatch):
    monkeypatch.setitem(members_datamap.DATA_MAP["Person"], "first_name",
                        Personal("online_account", context="compulsory"))
    [error] = check_data_map()
    assert "not a data category of the context 'compulsory'" in error.msg


def test_the_system_check_fails_on_a_field_that_does_not_exist(monkeypatch):
    monkeypatch.setitem(members_datamap.DATA_MAP["Person"], "nickname", Personal("identification"))
    [error] = check_data_map()
    assert "maps members.Person.nickname, which is not a field of the model" in error.msg


def test_the_system_check_fails_on_a_model_left_out(monkeypatch):
    monkeypatch.delitem(members_datamap.DATA_MAP, "Affiliation")
    errors = check_data_map()
    assert "members.Affiliation.context holds data not mapped to the register" in " ".join(e.msg for e in errors)


def test_inherited_and_many_to_many_fields_are_mapped():
    from guichet.accounts.models import User

    fields = personal_fields(User)
    assert {"password", "last_login", "is_superuser", "groups", "user_permissions"} <= fields.keys()


def test_personal_and_medical_fields(monkeypatch):
    fields = personal_fields(Person)
    assert fields["national_number"] == Personal("national_register")
    assert "id" not in fields
    assert medical_fields(Person) == {}
    monkeypatch.setitem(members_datamap.DATA_MAP["Person"], "email", Personal("health"))
    assert medical_fields(Person) == {"email": Personal("health")}
