"""Guichet: the online desk of a health mutual, with its terms enforced by the code."""

from .celery import app as celery_app

__all__ = ["celery_app"]
