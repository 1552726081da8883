"""Scheduled work of the cookies app: erasing analytics data past their retention (RET-8)."""

from celery import shared_task

from guichet.cookies import services


@shared_task
def erase_expired_analytics() -> int:
    return services.erase_expired_analytics()
