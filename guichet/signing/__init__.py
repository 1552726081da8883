"""Electronic signature with the Belgian eID (SIGN-1..5): prepared bytes, CMS verification up to the trust
anchors, revocation, lost or stolen cards."""
