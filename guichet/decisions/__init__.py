"""Automated decisions (AUTO-1..10): CT1/CT2 codes, BIM, the maximum billing (MAF) and event-driven
decisions, with explanations and human review."""
