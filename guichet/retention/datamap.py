"""Data map of the retention app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
RUN = NotPersonal("a run of the retention engine: counts and dates, about no one")

DATA_MAP: dict = {
    "LegalHold": {
        "id": TECHNICAL_KEY,
        "public_id": NotPersonal("random public identifier used in URLs"),
        "person": Personal("interactions"),
        "context": Personal("interactions"),
        "category": Personal("interactions"),
        "reason": Personal("judicial"),
        "case_reference": Personal("judicial"),
        "placed_by": NotPersonal("the staff account that placed the hold"),
        "placed_at": Personal("interactions"),
        "lifted_by": NotPersonal("the staff account that lifted the hold"),
        "lifted_at": Personal("interactions"),
        "lift_reason": Personal("judicial"),
    },
    "RetentionRun": {name: RUN for name in ("id", "as_of", "started_at", "resumed", "finished_at", "status",
                                            "batch_size")},
    "RunTarget": {name: RUN for name in ("id", "run", "target", "cursor", "erased", "anonymised", "batches",
                                         "done")},
}
