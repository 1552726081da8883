"""The cookie register as data (COOK-1, COOK-4, COOK-8): loaded and validated at start-up."""

import copy
import dataclasses

import pytest
import yaml
from django.core.checks import run_checks

from guichet.cookies import register as cookie_register
from guichet.cookies.register import REGISTER_PATH, CookieRegisterError, load_cookie_register, parse_register


def raw_register() -> dict:
    return yaml.safe_load(REGISTER_PATH.read_text(encoding="utf-8"))


@pytest.mark.rule("COOK-1")
def test_it_has_the_four_categories_with_only_the_technical_one_always_on():
    register = load_cookie_register()
    assert [c.key for c in register.categories] == ["necessary", "analytics", "marketing", "social"]
    assert [c.key for c in register.categories if c.always_on] == ["necessary"]


@pytest.mark.rule("COOK-4")
def test_it_gives_each_cookie_a_name_category_purpose_provider_and_lifetime():
    register = load_cookie_register()
    names = {cookie.name for cookie in register.cookies}
    assert {"sessionid", "csrftoken", "django_language", "guichet_consent", "guichet_visitor"} <= names
    for cookie in register.cookies:
        assert cookie.category and cookie.provider and set(cookie.purpose) == {"fr", "nl", "en"}
        assert cookie.lifetime.is_session or 0 < cookie.lifetime.total_months <= 24


@pytest.mark.rule("COOK-4")
@pytest.mark.parametrize("lifetime", ["P25M", "P3Y", "P10Y", "P24M1D"])
def test_it_refuses_a_cookie_that_lives_longer_than_24_months(lifetime):
    data = raw_register()
    data["cookies"][0]["lifetime"] = lifetime
    with pytest.raises(CookieRegisterError, match="longer than 24 months"):
        parse_register(data)


@pytest.mark.rule("COOK-4")
@pytest.mark.parametrize("lifetime", ["P24M", "P2Y", "session", "P1D"])
def test_it_accepts_lifetimes_up_to_24_months(lifetime):
    data = raw_register()
    data["cookies"][0]["lifetime"] = lifetime
    assert parse_register(data).cookies[0].lifetime.raw == lifetime


@pytest.mark.rule("COOK-1")
@pytest.mark.parametrize("change", [
    "unknown category", "analytics always on", "missing purpose text", "bad lifetime"])
def test_it_reports_every_problem_of_a_wrong_register(change):
    data = copy.deepcopy(raw_register())
    if change == "unknown category":
        data["cookies"][0]["category"] = "tracking"
    elif change == "analytics always on":
        data["categories"][1]["always_on"] = True
    elif change == "missing purpose text":
        del data["cookies"][0]["purpose"]["nl"]
    else:
        data["cookies"][0]["lifetime"] = "ten years"
    with pytest.raises(CookieRegisterError) as raised:
        parse_register(data)
    assert raised.value.problems


@pytest.mark.rule("COOK-4")
def test_it_fails_the_system_check_at_start_up_when_a_cookie_outlives_24_months(tmp_path, monkeypatch):
    data = raw_register()
    data["cookies"][1]["lifetime"] = "P10Y"  # the source's 10-year cookie, capped by COOK-4
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(cookie_register, "REGISTER_PATH", path)
    errors = [e for e in run_checks() if e.id == "cookies.E001"]
    assert errors and "longer than 24 months" in errors[0].msg


@pytest.mark.rule("COOK-4")
def test_it_passes_the_system_check_with_the_register_in_force():
    assert not [e for e in run_checks() if e.id.startswith("cookies.")]


@pytest.mark.rule("COOK-8")
def test_its_digest_changes_with_the_categories_but_not_with_the_texts_or_version():
    data = raw_register()
    register = parse_register(data)
    data["categories"][1]["description"]["en"] = "Reworded."
    data["version"] = "1.1"
    data["cookies"][0]["lifetime"] = "P1D"
    assert parse_register(data).digest == register.digest
    fewer = dataclasses.replace(register, categories=register.categories[:3])
    reordered = dataclasses.replace(register, categories=register.categories[::-1])
    assert len({register.digest, fewer.digest, reordered.digest}) == 3
