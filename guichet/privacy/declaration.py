"""The privacy declaration as a page (PRIV-2): the register's parts resolved and ordered for the template."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guichet.privacy.register import (
    AutomatedDecision,
    Context,
    DataCategory,
    Entity,
    LegalBasis,
    Processor,
    ProcessorRole,
    Purpose,
    Recipient,
    Register,
    RetentionRule,
    Source,
)

TRANSFER_GROUNDS = {
    "consent": _("with your unambiguous consent"),
    "insurance_provides": _("when your insurance provides for it"),
    "pre_contract_request": _("for steps taken at your request before a contract"),
    "vital_interests": _("to protect your vital interests"),
    "contract_in_interest": _("for a contract concluded in your interest"),
}
ACTIONS = {"erase": _("then erased"), "anonymise": _("then anonymised")}


@dataclass(frozen=True)
class PurposeRow:
    purpose: Purpose
    legal_bases: list[LegalBasis]


@dataclass(frozen=True)
class CategoryRow:
    category: DataCategory
    sources: list[Source]


@dataclass(frozen=True)
class RetentionRow:
    rule: RetentionRule
    categories: list[DataCategory]
    action: str


@dataclass(frozen=True)
class RoleRow:
    role: ProcessorRole
    entity: Entity


@dataclass(frozen=True)
class ContextSection:
    context: Context
    controllers: list[Entity]
    roles: list[RoleRow]
    purposes: list[PurposeRow]
    categories: list[CategoryRow]
    recipients: list[Recipient]
    processors: list[Processor]
    transfer_grounds: list[str]
    retention: list[RetentionRow]
    decisions: list[AutomatedDecision]


def context_sections(register: Register) -> list[ContextSection]:
    sections = []
    for context in register.contexts:
        sections.append(ContextSection(
            context=context,
            controllers=[register.entity(key) for key in context.controllers],
            roles=[RoleRow(role, register.entity(role.entity)) for role in context.processors_roles],
            purposes=[PurposeRow(p, context.bases_of(p)) for p in context.purposes],
            categories=[CategoryRow(c, [context.source(key) for key in c.sources]) for c in context.data_categories],
            recipients=list(context.recipients),
            processors=list(context.processors),
            transfer_grounds=[str(TRANSFER_GROUNDS[g]) for g in context.transfers.allowed_grounds],
            retention=[RetentionRow(r, [context.category(key) for key in r.data_categories], str(ACTIONS[r.action]))
                       for r in context.retention],
            decisions=list(context.automated_decisions),
        ))
    return sections


def controllers_with_dpo(register: Register) -> list[Entity]:
    """The controllers of every context that have a DPO, operator first, each once."""
    keys = [register.operator] + [key for context in register.contexts for key in context.controllers]
    seen, result = set(), []
    for key in keys:
        entity = register.entity(key)
        if key not in seen and entity.dpo is not None:
            seen.add(key)
            result.append(entity)
    return result
