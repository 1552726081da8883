"""Cookies: the cookie register and policy, the visitor's consent per category (banner, consent cookie and
records), and the first-party analytics that only run with that consent (COOK-1 to COOK-9, REP-1)."""
