"""System checks of the roles table (roles.py) against the register and the data map: every purpose a
role may use exists (ACL-1), and every field of a processor's task is mapped to a data category of the
processor's task in the register and of the role's purposes (ACL-5, DISC-3)."""

from django.apps import apps
from django.core.checks import Error, Tags, register

from guichet.backoffice.roles import ROLES
from guichet.privacy.datamap import personal_fields
from guichet.privacy.register import RegisterError, load_register


def role_problems(roles=None) -> list[str]:
    """What is wrong with the roles table (empty when it is coherent)."""
    try:
        register_in_force = load_register()
    except RegisterError:
        return []  # the privacy checks report the register itself
    problems = []
    for role, spec in (roles or ROLES).items():
        purposes = []
        for key in spec.purposes:
            try:
                purposes.append(register_in_force.purpose(key)[1])
            except KeyError:
                problems.append(f"role {role}: the purpose '{key}' is not in the register")
        if spec.processor is None:
            continue
        task = spec.processor
        processor = None
        if register_in_force.has_context(task.context):
            processor = next(
                (p for p in register_in_force.context(task.context).processors if p.key == task.processor),
                None,
            )
        if processor is None:
            problems.append(
                f"role {role}: the processor '{task.context}:{task.processor}' is not in the register"
            )
            continue
        for model_label, field_names in task.fields.items():
            try:
                personal = personal_fields(apps.get_model(model_label))
            except LookupError:
                problems.append(f"role {role}: the model '{model_label}' does not exist")
                continue
            for name in field_names:
                entry = personal.get(name)
                if entry is None:
                    problems.append(
                        f"role {role}: {model_label}.{name} is not a personal field of the data map"
                    )
                elif entry.category not in processor.data_categories:
                    problems.append(
                        f"role {role}: {model_label}.{name} ({entry.category}) is outside the task "
                        f"of the processor '{task.processor}'"
                    )
                elif not any(entry.category in purpose.data_categories for purpose in purposes):
                    problems.append(
                        f"role {role}: {model_label}.{name} ({entry.category}) is needed by none "
                        "of the role's purposes"
                    )
    return problems


@register(Tags.models, "backoffice")
def check_roles(app_configs=None, **kwargs):
    return [
        Error(problem, hint="Fix guichet/backoffice/roles.py.", id="backoffice.E001")
        for problem in role_problems()
    ]
