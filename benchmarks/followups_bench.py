"""Follow-ups on PostgreSQL: the beat job's claim-and-dispatch of 10k reminders due in one minute, and
the queue page at 100k and 1M follow-ups spread over a year.

    scripts/services.sh .venv/bin/python benchmarks/followups_bench.py [--sizes 100000,1000000]
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def setup():
    call_command("migrate", verbosity=0)
    from apps.customers.models import Customer
    from apps.followups.seeds import rules_seed
    from apps.org.models import RoleTier
    from tests.factories.org import OrganisationFactory, StoreFactory, member

    org = OrganisationFactory(name="基准集团", code="bench")
    store = StoreFactory(organisation=org, name="基准服务站", code="bench-station")
    manager = member(store, RoleTier.MANAGER, "bench_manager")
    workers = [member(store, RoleTier.AFTERSALES, f"bench_tracker{i}") for i in range(5)]
    rules = rules_seed(org)
    Customer.objects.bulk_create(
        [Customer(store=store, name=f"客户{i:05d}", address="滨江市") for i in range(5000)], batch_size=5000
    )
    customers = list(Customer.objects.filter(store=store).values_list("pk", flat=True))
    return store, manager, workers, rules, customers


COLUMNS = (
    "store_id, customer_id, rule_id, key, trigger, trigger_date, reason, window_start, window_end, expires_on, "
    "channel, priority, assignee_id, talking_points, survey_name, survey_items, state, attempts, snooze_reason, "
    "outcome, satisfaction, completed_at, completed_on, created_at"
)


def copy_followups(*, start_index, count, store, workers, rule, customers, today):
    """COPY `count` follow-ups with windows spread over a year around today."""
    now = timezone.now().isoformat()
    done = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        while done < count:
            n = min(100_000, count - done)
            buf = io.StringIO()
            for j in range(start_index + done, start_index + done + n):
                start = today + dt.timedelta(days=(j % 365) - 300)
                end = start + dt.timedelta(days=4)
                past = end < today
                if past:
                    state = "done" if j % 10 else "missed"
                else:
                    state = "open" if start <= today else "scheduled"
                done_on = start + dt.timedelta(days=1)
                completed = f"{done_on} 10:00:00+08\t{done_on}" if state == "done" else "\\N\t\\N"
                score = str(3 + j % 3) if state == "done" else "\\N"
                buf.write(
                    f"{store.pk}\t{customers[j % len(customers)]}\t{rule.pk}\tbench:{j}\tticket_closed\t{start}\t"
                    f"工单结束\t{start}\t{end}\t{end + dt.timedelta(days=3)}\tphone\t2\t{workers[j % len(workers)].pk}\t"
                    f"询问用车情况\t\t[]\t{state}\t0\t\t\t{score}\t{completed}\t{now}\n"
                )
            with raw.copy(f"COPY followups_followup ({COLUMNS}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
            done += n
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followups_followup")


def reminders_due_within_a_minute(due: int, now):
    """`due` reminders of open follow-ups falling due within the minute before `now`; their ids."""
    from apps.followups.models import FollowUp, Reminder

    ids = list(FollowUp.objects.filter(state="open").order_by("pk").values_list("pk", flat=True)[:due])
    Reminder.objects.bulk_create(
        [
            Reminder(
                followup_id=pk,
                kind="opened",
                key=f"bench:{pk}:opened",
                due_at=now - dt.timedelta(seconds=i % 60),
            )
            for i, pk in enumerate(ids)
        ],
        batch_size=5000,
    )
    return ids


def bench_dispatch(due=10_000):
    from apps.followups.reminders import reminders_dispatch
    from apps.notifications.models import Notification

    now = timezone.now()
    ids = reminders_due_within_a_minute(due, now)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        sent = reminders_dispatch(now=now)
        took = time.perf_counter() - started
    assert sent == len(ids) == Notification.objects.filter(key__startswith="followups:bench:").count()
    print(
        f"dispatch: {sent:,} reminders due in one minute sent in {took:.2f}s = {sent / took:,.0f} reminders/s, "
        f"{len(ctx.captured_queries)} queries"
    )


def bench_queue(label, manager, worker, runs=15):
    for who, user, url in (
        ("manager (whole store)", manager, "/followups/?scope=all"),
        ("after-sales (mine)", worker, "/followups/?scope=mine"),
    ):
        client = Client()
        client.force_login(user)
        for section in ("today", "overdue", "upcoming"):
            full = f"{url}&section={section}"
            client.get(full)
            times = []
            with CaptureQueriesContext(connection) as ctx:
                for _ in range(runs):
                    started = time.perf_counter()
                    response = client.get(full)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200
            print(
                f"queue {label:>9} {who:<22} {section:<8}: median {statistics.median(times) * 1000:7.1f} ms, "
                f"{len(ctx.captured_queries) // runs} queries"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    store, manager, workers, rules, customers = setup()
    today = timezone.localdate()
    have = 0
    for i, size in enumerate(sizes):
        started = time.perf_counter()
        copy_followups(
            start_index=have,
            count=size - have,
            store=store,
            workers=workers,
            rule=rules["first-call-pickup"],
            customers=customers,
            today=today,
        )
        print(f"loaded {size - have:,} follow-ups in {time.perf_counter() - started:.1f}s (total {size:,})")
        have = size
        bench_queue(f"{size:,}", manager, workers[0])
        if i == len(sizes) - 1:
            bench_dispatch()


if __name__ == "__main__":
    main()
