"""Who may act for whom: mandates between members, parental authority over minors, and the one access
policy (`policy.decide`) every member-scoped page asks (MAND-1 … MAND-11, MIN-1 … MIN-5, ACC-4)."""
