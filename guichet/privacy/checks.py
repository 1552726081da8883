"""System checks: the register of processing is valid (PRIV-1) and every model field is mapped to it."""

from django.core.checks import Error, Tags, register

from guichet.privacy.datamap import data_map_problems
from guichet.privacy.register import RegisterError, load_register


@register(Tags.models, "privacy")
def check_register(app_configs=None, **kwargs):
    """Each problem of the register files, with its file and line (privacy.E001)."""
    try:
        load_register()
    except RegisterError as error:
        return [Error(str(problem), id="privacy.E001") for problem in error.problems]
    return []


@register(Tags.models, "privacy")
def check_data_map(app_configs=None, **kwargs):
    """Each field of a guichet model not mapped to the register, or mapped wrongly (privacy.E002)."""
    try:
        register_in_force = load_register()
    except RegisterError:
        register_in_force = None  # reported by check_register; the fields are still checked
    return [
        Error(problem, hint="Map each field with Personal(category) or NotPersonal(reason).", id="privacy.E002")
        for problem in data_map_problems(app_configs, register=register_in_force)
    ]
