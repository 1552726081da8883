"""Domain events: an outbox written in the publisher's transaction, delivered by Celery to subscribers."""
