"""Who may do what with the automated decisions: the staff rights (the member side goes through
mandates.policy with Action.VIEW_MY_DATA)."""

from guichet.accounts.models import StaffRole

DECISIONS_STAFF_ACTIONS: dict[str, frozenset[str]] = {
    # AUTO-9, DSR-9: a person of the mutual reviews the contested decisions.
    "review_decisions": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),
    # Entry points of the event-driven decisions and the MAF inputs (imports, notifications).
    "record_decision_inputs": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),
}
