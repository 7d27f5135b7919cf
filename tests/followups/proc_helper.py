"""Run by the reliability tests as a separate process (a web request, a beat tick) against the test
database and a given broker: `python tests/followups/proc_helper.py ACTION ARGS...`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from config.celery_app import app  # noqa: E402

app.conf.task_always_eager = False


def complaint(followup_id: int, user_id: int) -> None:
    from apps.followups.models import FollowUp
    from apps.followups.services import followup_log_attempt
    from apps.org.models import User

    followup_log_attempt(
        followup=FollowUp.objects.get(pk=followup_id),
        by=User.objects.get(pk=user_id),
        result="reached",
        satisfaction=1,
        complaint="态度差",
    )


def main(action: str, *args: str) -> None:
    if action == "complaint":
        complaint(int(args[0]), int(args[1]))
    elif action == "complaint-rolled-back":
        try:
            with transaction.atomic():
                complaint(int(args[0]), int(args[1]))
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    elif action == "beat":
        from apps.followups.tasks import followups_tick_task

        followups_tick_task.delay()


if __name__ == "__main__":
    main(*sys.argv[1:])
