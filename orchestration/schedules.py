"""The monthly schedule: a whole build early each month, after the month's exports have landed.

It rebuilds every period with the current settings and files, so periods left behind by partial
rebuilds catch up too, and the new month-end becomes a period. Runs at 06:00 Beijing time on the
5th (``IPWH_MONTHLY_BUILD_CRON`` changes it at definitions load); a build still running from
another trigger makes it wait (tag ``ipwh/lock_wait_seconds``).
"""

from __future__ import annotations

import os

import dagster as dg

from .build import build_run_request
from .jobs import BUILD_JOB

MONTHLY_BUILD_CRON = os.environ.get("IPWH_MONTHLY_BUILD_CRON", "0 6 5 * *")


@dg.schedule(
    job_name=BUILD_JOB,
    cron_schedule=MONTHLY_BUILD_CRON,
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Whole build of every period, monthly (06:00 on the 5th, Beijing time).",
)
def monthly_build_schedule(context: dg.ScheduleEvaluationContext):
    return build_run_request("monthly_build_schedule")
