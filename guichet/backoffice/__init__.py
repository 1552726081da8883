"""The staff back office: staff roles and their rights, the confidentiality acknowledgement, need-to-know
access to a member's file, health-data delegations, processor accounts and third-party disclosures."""
