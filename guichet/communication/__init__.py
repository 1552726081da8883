"""Communication with members and prospects: channel preferences, propagation to the group's systems,
campaigns with one-click opt-out, the do-not-call list, prospects and call recordings (COMM-1 to COMM-12)."""
