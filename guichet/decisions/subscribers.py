"""How the decisions react to domain events (registered in DecisionsConfig.ready): a recorded situation
may grant BIM by automatic right (AUTO-2); the last signature of a sworn statement decides the income test
(AUTO-3); the first MAF refund of a year sends the certificate to the e-Box (AUTO-5)."""

import logging

from guichet.decisions.errors import DecisionError
from guichet.decisions.maf import MAF_REFUNDED
from guichet.decisions.services import BIM_STATEMENT, SITUATION_RECORDED, grant_bim_automatic, record_signature
from guichet.events.services import subscribe

logger = logging.getLogger(__name__)


@subscribe(SITUATION_RECORDED)
def grant_bim_on_situation(event) -> None:
    from guichet.decisions.models import Situation

    situation = Situation.objects.filter(public_id=event.payload.get("situation")).select_related("person").first()
    if situation is None:
        return
    try:
        grant_bim_automatic(situation)
    except DecisionError as refusal:
        # No rules for that year: nothing is guessed; retrying would not help until the rule set is added,
        # and staff see the situation without a decision.
        logger.warning("situation %s: no automatic BIM decision: %s", situation.public_id, refusal)


@subscribe("signing.signed")
def decide_when_household_signed(event) -> None:
    if event.payload.get("kind") == BIM_STATEMENT and event.payload.get("reference"):
        record_signature(event.payload["reference"])


@subscribe(MAF_REFUNDED)
def send_maf_certificate(event) -> None:
    from guichet.decisions import documents
    from guichet.decisions.models import Decision

    if not event.payload.get("first"):
        return
    decision = Decision.objects.filter(public_id=event.payload.get("decision")).select_related("subject").first()
    if decision is not None and not decision.result.get("certificate"):
        document = documents.issue_maf_certificate(decision.subject, decision)
        decision.result = {**decision.result, "certificate": str(document.public_id)}
        decision.save(update_fields=["result"])
