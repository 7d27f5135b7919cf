"""Benchmark (run on PostgreSQL): scripts/services.sh .venv/bin/python benchmarks/checklists_bench.py

1. The manager's board for a store with one year of runs: 5 people × 3 runs a day × 365 days, 20
   items each (5,475 runs, 109,500 answers), inserted with bulk_create in batches: median response
   time and query count of the default board (last 7 days) and of a whole-year range.
2. The beat job's run creation for 500 stores (3 templates each with one holder per store).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.checklists import services  # noqa: E402
from apps.checklists.models import ChecklistRun, ChecklistTemplate, ItemResult, TemplateItem  # noqa: E402
from apps.org.models import Membership, Organisation, RoleTier, Store, User  # noqa: E402
from apps.roles.models import Position, PositionHolder  # noqa: E402

BATCH = 5000


def aware(day, h, m=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(h, m)))


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    org, _ = Organisation.objects.get_or_create(code="bench-cl", defaults={"name": "基准测试集团"})
    store, _ = Store.objects.get_or_create(
        organisation=org, code="bench-hall", defaults={"name": "基准营业厅", "kind": "business_hall"}
    )
    manager, _ = User.objects.get_or_create(username="bench-manager")
    Membership.objects.get_or_create(user=manager, store=store, tier=RoleTier.MANAGER)
    position, _ = Position.objects.get_or_create(
        code="BENCH-CL-1", defaults={"organisation": org, "title": "营业员"}
    )
    people = []
    for i in range(5):
        u, _ = User.objects.get_or_create(username=f"bench-clerk{i}", defaults={"display_name": f"营业员{i}"})
        Membership.objects.get_or_create(user=u, store=store, tier=RoleTier.CLERK)
        PositionHolder.objects.get_or_create(position=position, user=u, store=store)
        people.append(u)
    templates = []
    for phase, name, hour in [
        ("opening", "班前准备", 9),
        ("during", "营业中巡查", 13),
        ("closing", "班后收尾", 17),
    ]:
        t, created = ChecklistTemplate.objects.get_or_create(
            organisation=org,
            name=f"基准{name}",
            defaults={"position": position, "phase": phase, "due_time": dt.time(hour, 0)},
        )
        if created:
            t.stores.add(store)
            TemplateItem.objects.bulk_create(
                [TemplateItem(template=t, order=i, text=f"{name}检查项{i}") for i in range(20)]
            )
        templates.append(t)

    today = timezone.localdate()
    if not ChecklistRun.objects.filter(store=store).exists():
        t0 = time.perf_counter()
        runs = []
        for d in range(1, 366):
            day = today - dt.timedelta(days=d)
            for t, hour in zip(templates, (9, 13, 17), strict=True):
                for p in people:
                    runs.append(
                        ChecklistRun(
                            template=t,
                            store=store,
                            assignee=p,
                            date=day,
                            starts_at=aware(day, 8, 30),
                            due_at=aware(day, hour),
                            ends_at=aware(day, 18),
                            state="done",
                            item_count=20,
                            answered_count=20,
                            failed_count=1 if d % 17 == 0 else 0,
                            started_at=aware(day, hour - 1),
                            completed_at=aware(day, hour - 1, 30),
                        )
                    )
        for i in range(0, len(runs), BATCH):
            ChecklistRun.objects.bulk_create(runs[i : i + BATCH])
        items = {t.pk: list(t.items.all()) for t in templates}
        results = []
        n_results = 0
        for run in runs:
            for it in items[run.template_id]:
                results.append(
                    ItemResult(
                        run=run,
                        item=it,
                        item_text=it.text,
                        ok=not (run.failed_count and it.order == 0),
                        answered_by_id=run.assignee_id,
                        answered_at=run.started_at,
                    )
                )
            if len(results) >= BATCH:
                ItemResult.objects.bulk_create(results)
                n_results += len(results)
                results = []
        ItemResult.objects.bulk_create(results)
        n_results += len(results)
        print(
            f"inserted {len(runs):,} runs and {n_results:,} item results in {time.perf_counter() - t0:.1f} s"
        )
    print(
        f"runs in store: {ChecklistRun.objects.filter(store=store).count():,}; results: {ItemResult.objects.filter(run__store=store).count():,}"
    )
    with connection.cursor() as c:
        c.execute("ANALYZE") if connection.vendor == "postgresql" else None

    client = Client()
    client.force_login(manager)
    for label, params in [
        ("board, default (last 7 days)", {}),
        (
            "board, whole year, page 1",
            {"date_from": (today - dt.timedelta(days=366)).isoformat(), "date_to": today.isoformat()},
        ),
        (
            "board, whole year, page 50",
            {
                "date_from": (today - dt.timedelta(days=366)).isoformat(),
                "date_to": today.isoformat(),
                "page": 50,
            },
        ),
        (
            "board, one person, whole year",
            {"person": people[0].pk, "date_from": (today - dt.timedelta(days=366)).isoformat()},
        ),
    ]:
        client.get("/checklists/board/", params)
        times = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as q:
                t0 = time.perf_counter()
                r = client.get("/checklists/board/", params)
                times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        print(
            f"{label}: median {statistics.median(times):.1f} ms, p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms, {len(q)} queries"
        )

    # 2. run creation for 500 stores
    stores = list(Store.objects.filter(organisation=org, code__startswith="bench-s"))
    missing = [
        Store(organisation=org, code=f"bench-s{i:03d}", name=f"基准门店{i}", kind="business_hall")
        for i in range(len(stores), 500)
    ]
    Store.objects.bulk_create(missing)
    stores = list(Store.objects.filter(organisation=org, code__startswith="bench-s"))
    for t in templates:
        t.stores.add(*stores)
    holders = [User(username=f"bench-h{s.pk}", display_name="店员") for s in stores]
    User.objects.bulk_create(holders, ignore_conflicts=True)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-h")}
    PositionHolder.objects.bulk_create(
        [PositionHolder(position=position, user=users[f"bench-h{s.pk}"], store=s) for s in stores],
        ignore_conflicts=True,
    )
    ChecklistRun.objects.filter(date=today).delete()
    now = aware(today, 8, 15)
    with CaptureQueriesContext(connection) as q:
        t0 = time.perf_counter()
        created = services.runs_create_due(now=now)
        first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = services.runs_create_due(now=now)
    second = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.checklists_tick(now=now)
    tick = time.perf_counter() - t0
    print(
        f"beat run creation, {len(stores) + 1} stores × 3 templates: {created:,} runs in {first:.2f} s ({len(q)} queries); "
        f"repeated tick created {again} in {second:.2f} s; a full tick (create + mark + remind) {tick:.2f} s"
    )


if __name__ == "__main__":
    main()
