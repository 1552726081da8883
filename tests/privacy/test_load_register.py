"""PRIV-1: the register of processing is read from its YAML files, validated with file and line, and typed."""

import pytest
from django.core.management import call_command

from guichet.privacy import register as register_module
from guichet.privacy.checks import check_register
from guichet.privacy.register import RegisterError, load_register, read_register
from guichet.privacy.services import why_we_hold

from .helpers import broken_copy

pytestmark = pytest.mark.rule("PRIV-1")


def test_it_loads_the_four_contexts_with_their_controllers():
    register = load_register()
    assert [c.key for c in register.contexts] == ["operations", "compulsory", "complementary", "insurance_company"]
    assert register.context("operations").controllers == ("partenamut",)
    assert register.context("compulsory").controllers == ("mloz",)
    assert register.context("insurance_company").processors_roles[0].role == "agent_and_processor"
    assert register.operator == "partenamut"


def test_it_passes_the_system_check():
    assert check_register() == []
    call_command("check", "--fail-level", "ERROR", verbosity=0)


def test_it_is_loaded_once_and_cached():
    assert load_register() is load_register()


def test_it_answers_lookups():
    register = load_register()
    assert {"identification", "national_register", "health", "online_account"} <= register.categories()
    assert register.category_in("compulsory", "health").medical is True
    assert register.category_in("complementary", "online_account") is None
    assert register.is_allowed_recipient("compulsory", "inami")
    assert not register.is_allowed_recipient("operations", "inami")
    assert not register.is_allowed_recipient("nowhere", "inami")


def test_it_explains_why_a_category_is_held():
    uses = {use.context.key: use for use in load_register().explain("health")}
    assert set(uses) == {"operations", "compulsory", "complementary", "insurance_company"}
    compulsory = uses["compulsory"]
    assert "insurability" in {p.key for p in compulsory.purposes}
    assert any(b.article.startswith("GDPR 9") for b in compulsory.legal_bases)
    assert "comp_medical" in {r.key for r in compulsory.retention}
    identification = {use.context.key: use for use in load_register().explain("identification")}["compulsory"]
    assert not any(b.article.startswith("GDPR 9") or b.article == "GDPR 87" for b in identification.legal_bases)


def test_why_we_hold_answers_in_the_asked_language():
    [explanation] = why_we_hold("national_register", "en", context="insurance_company")
    assert explanation.category_title == "National register number"
    assert explanation.purposes[0].title == "Organising and managing health insurance and assistance"
    assert explanation.retention[0].title == "5 years"
    assert why_we_hold("no_such_category") == []
    french = why_we_hold("national_register", "fr", context="insurance_company")[0]
    assert french.category_title == "Numéro de registre national"


BROKEN = [
    pytest.param("insurance_company.yaml", "    profiling: false\n", "    profilling: false\n",
                 "unknown key 'profilling'", id="typo-key"),
    pytest.param("insurance_company.yaml", "  outside_eea: true\n", "", "missing required key 'outside_eea'",
                 "  allowed_grounds:", id="missing-key"),  # reported at the mapping that lacks it
    pytest.param("insurance_company.yaml", "data_categories: [identification, contact, interactions]",
                 "data_categories: [identification, contact, interactionz]",
                 "unknown category 'interactionz'", id="unknown-category"),
    pytest.param("insurance_company.yaml", "legal_bases: [legal_obligation]\n", "legal_bases: [legal_obligations]\n",
                 "unknown legal basis 'legal_obligations'", id="unknown-legal-basis"),
    pytest.param("insurance_company.yaml", "sources: [data_subject]", "sources: [data_subjects]",
                 "unknown source 'data_subjects'", id="unknown-source"),
    pytest.param("insurance_company.yaml", "controllers: [mloz_insurance]", "controllers: [mloz_insurence]",
                 "unknown entity 'mloz_insurence'", id="unknown-entity"),
    pytest.param("insurance_company.yaml", "      fr: Garder une trace de vos questions\n      nl: Uw vragen bijhouden\n",
                 "      fr: Garder une trace de vos questions\n", "lacks the language 'nl'", id="missing-language"),
    pytest.param("insurance_company.yaml", "  - key: ins_medical\n    rule_ids: [RET-7]\n    data_categories: [health]\n"
                 "    start_event: last_contact\n    duration: P30Y\n",
                 "  - key: ins_medical\n    rule_ids: [RET-7]\n    data_categories: [health]\n"
                 "    start_event: last_contact\n", "missing required key 'duration'", id="retention-without-duration"),
    pytest.param("insurance_company.yaml", "    duration: P5Y\n", "    duration: 5 years\n",
                 "must be an ISO 8601 duration", id="invalid-duration"),
    pytest.param("compulsory.yaml", "duration: P30Y", "duration: P30X", "must be an ISO 8601 duration",
                 id="invalid-duration-letter"),
    pytest.param("organisation.yaml", "operator: partenamut", "operator: partenamutt",
                 "unknown entity 'partenamutt'", id="unknown-operator"),
    pytest.param("rights.yaml", "channels: [dpo_form_account, dpo_form_website, agency, dpo_post]",
                 "channels: [dpo_form_account, dpo_form_website, agency, pigeon]", "unknown channel 'pigeon'",
                 id="unknown-channel"),
    pytest.param("operations.yaml", "rule_ids: [RET-1]", "rule_ids: [RET-99]", "RET-99", id="unknown-rule"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected", "at"), [
    pytest.param(*case.values, *([None] if len(case.values) == 4 else []), id=case.id) for case in BROKEN])
def test_it_names_the_file_and_line_of_a_broken_register(tmp_path, file, old, new, expected, at):
    folder, line = broken_copy(tmp_path, file, old, new, at)
    with pytest.raises(RegisterError) as raised:
        read_register(folder)
    matching = [p for p in raised.value.problems if expected in p.message]
    assert matching, str(raised.value)
    problem = matching[0]
    assert problem.file.endswith(file)
    assert problem.line == line, (line, str(problem))
    assert f"{file}:{problem.line}:" in str(raised.value)


def test_the_system_check_reports_a_broken_register(tmp_path, monkeypatch):
    folder, line = broken_copy(tmp_path, "complementary.yaml", "  outside_eea: false\n", "  outside_eea: false\n  extra: 1\n")
    monkeypatch.setattr(register_module, "REGISTER_DIR", folder)
    errors = check_register()
    assert errors and errors[0].id == "privacy.E001"
    assert any(f"complementary.yaml:{line + 1}: unknown key 'extra'" in error.msg for error in errors)


def test_it_reports_invalid_yaml_with_its_line(tmp_path):
    folder, line = broken_copy(tmp_path, "rights.yaml", "channels:\n", "channels: [\n")
    with pytest.raises(RegisterError) as raised:
        read_register(folder)
    assert "rights.yaml" in str(raised.value) and "not valid YAML" in str(raised.value)
