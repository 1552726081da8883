"""Messages to people: SMS through a gateway, e-mail through Django's mail backends, and the
development outbox where both land when no real gateway is configured."""
