"""Staff rights of the e-Box (they join the one staff policy at start-up)."""

from guichet.accounts.models import StaffRole

EBOX_STAFF_ACTIONS = {
    # Issue a document to a member (upload a PDF or a template), after opening their file.
    "issue_documents": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),
}
