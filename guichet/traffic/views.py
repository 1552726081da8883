"""The staff page of connection statistics (ACC-9, REP-1): aggregates only, never a row of the log."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from guichet.accounts.decorators import staff_required
from guichet.traffic.services import statistics

PERIODS = {"7": 7, "30": 30, "90": 90}


@staff_required("view_connection_statistics")
def connection_statistics(request):
    days = PERIODS.get(request.GET.get("days", "30"), 30)
    stats = statistics(timezone.now() - timedelta(days=days))
    peak = max((row["count"] for row in stats["per_day"]), default=0)
    return render(request, "traffic/statistics.html", {"stats": stats, "days": days, "peak": peak, "periods": PERIODS})
