"""The evidence ledger: one append-only, hash-chained record of what must be provable (consents,
mandates, signatures, staff access to files, requests and answers, automated decisions), with signed
checkpoints, a verifier, and the member's view of the entries about them."""
