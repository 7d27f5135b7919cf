"""Benchmark (run on PostgreSQL): scripts/services.sh .venv/bin/python benchmarks/roster_bench.py

500 stores (450 business halls, 50 service stations), each with a manager and 8 staff, two shift
types and last week's roster (every person on 5 or 6 days: 24,500 shifts), a checklist run a
person a day, a late arrival or two; all inserted with bulk_create in batches (a second run reuses
them). Then:

1. The roster week grid page (`/roster/<store>/week/<monday>/`) as a store's manager and as the
   organisation's admin (who sees all 500 stores): median time and query count.
2. Weekly report generation, drafted for all 500 stores: every store's sections of the week
   (what the draft page shows and a submission freezes) and the draft rows (`report_save`):
   total time (median of 3) and each section's, queries in all and per store.
"""

import datetime as dt
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.checklists.models import ChecklistRun, ChecklistTemplate  # noqa: E402
from apps.months import week_start  # noqa: E402
from apps.org.models import Membership, Organisation, RoleTier, Store, StoreKind, User  # noqa: E402
from apps.reports.models import WeeklyReport  # noqa: E402
from apps.reports.sections import WEEKLY, _providers  # noqa: E402
from apps.reports.services import report_save  # noqa: E402
from apps.roles.models import Position  # noqa: E402
from apps.roster.models import CheckIn, Shift, ShiftType  # noqa: E402

STORES = 500
STAFF = 8
BATCH = 5000


def aware(day, h, m=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(h, m)))


def bulk(model, rows):
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH], ignore_conflicts=True)


def seed(org, monday):
    t0 = time.perf_counter()
    Store.objects.bulk_create(
        [
            Store(
                organisation=org,
                code=f"rb-{i:03d}",
                name=f"基准门店{i:03d}",
                kind=StoreKind.SERVICE_STATION if i % 10 == 0 else StoreKind.BUSINESS_HALL,
            )
            for i in range(STORES)
        ],
        ignore_conflicts=True,
    )
    stores = list(Store.objects.filter(organisation=org, code__startswith="rb-").order_by("code"))
    password = make_password(None)
    bulk(
        User,
        [
            User(username=f"rb-{s.code}-{j}", display_name=f"员工{j}", password=password)
            for s in stores
            for j in range(STAFF + 1)
        ],
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="rb-")}
    bulk(
        Membership,
        [
            Membership(
                user=users[f"rb-{s.code}-{j}"], store=s, tier=RoleTier.MANAGER if j == 0 else RoleTier.CLERK
            )
            for s in stores
            for j in range(STAFF + 1)
        ],
    )
    bulk(
        ShiftType,
        [
            ShiftType(store=s, name=name, code=code, starts_at=start, ends_at=end, position=k)
            for s in stores
            for k, (name, code, start, end) in enumerate(
                [
                    ("早班", "早", dt.time(8, 30), dt.time(13, 30)),
                    ("晚班", "晚", dt.time(13, 0), dt.time(18, 0)),
                ]
            )
        ],
    )
    types = {}
    for st in ShiftType.objects.filter(store__in=stores):
        types.setdefault(st.store_id, []).append(st)
    shifts = []
    for s in stores:
        for j in range(1, STAFF + 1):
            user = users[f"rb-{s.code}-{j}"]
            for d in range(7):
                if (d + j) % 7 in (0, 1) and (j % 2 or d != 6):  # a day or two off
                    continue
                shifts.append(
                    Shift(
                        store=s,
                        user=user,
                        date=monday + dt.timedelta(days=d),
                        shift_type=types[s.pk][(d + j) % 2],
                    )
                )
    bulk(Shift, shifts)
    position, _ = Position.objects.get_or_create(
        code="RB-POS-1", defaults={"organisation": org, "title": "营业员"}
    )
    template, created = ChecklistTemplate.objects.get_or_create(
        organisation=org,
        name="基准班前准备",
        defaults={"position": position, "phase": "opening", "due_time": dt.time(9)},
    )
    if created:
        template.stores.add(*stores)
    runs, checkins = [], []
    for s in stores:
        for j in range(1, STAFF + 1):
            user = users[f"rb-{s.code}-{j}"]
            for d in range(7):
                day = monday + dt.timedelta(days=d)
                missed = (d * j + s.pk) % 11 == 0
                runs.append(
                    ChecklistRun(
                        template=template,
                        store=s,
                        assignee=user,
                        date=day,
                        starts_at=aware(day, 8),
                        due_at=aware(day, 9),
                        ends_at=aware(day, 18),
                        state="missed" if missed else "done",
                        item_count=10,
                        answered_count=0 if missed else 10,
                        completed_at=None if missed else aware(day, 8, 50),
                    )
                )
            if j <= 2:
                day = monday + dt.timedelta(days=j)
                checkins.append(
                    CheckIn(store=s, user=user, date=day, at=aware(day, 8, 40), late_minutes=10 * j)
                )
    bulk(ChecklistRun, runs)
    bulk(CheckIn, checkins)
    print(
        f"seeded {len(stores)} stores, {len(users):,} people, {len(shifts):,} shifts, {len(runs):,} runs "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return stores


@contextmanager
def counting():
    """Count the queries (CaptureQueriesContext keeps only the last 9,000)."""
    n = [0]

    def wrapper(execute, sql, params, many, context):
        n[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield n


def timed_page(client, path, n=9):
    client.get(path)
    times = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return statistics.median(times), len(q)


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    org, _ = Organisation.objects.get_or_create(code="bench-roster", defaults={"name": "排班基准集团"})
    monday = week_start(timezone.localdate()) - dt.timedelta(days=7)
    stores = list(Store.objects.filter(organisation=org, code__startswith="rb-").order_by("code"))
    if len(stores) < STORES or not Shift.objects.filter(store=stores[-1], date__gte=monday).exists():
        stores = seed(org, monday)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")

    # 1. The roster week grid.
    store = stores[1]
    manager = User.objects.get(username=f"rb-{store.code}-0")
    admin, _ = User.objects.get_or_create(username="rb-admin", defaults={"display_name": "排班管理员"})
    Membership.objects.get_or_create(user=admin, store=stores[0], tier=RoleTier.ADMIN)
    path = f"/roster/{store.pk}/week/{monday.isoformat()}/"
    for label, person in (("manager of one store", manager), ("admin of 500 stores", admin)):
        client = Client()
        client.force_login(person)
        median, queries = timed_page(client, path)
        print(
            f"roster week grid ({STAFF + 1} people × 7 days), {label}: median {median:.1f} ms, {queries} queries"
        )

    # 2. Weekly report generation for every store: each section provider timed over all stores.
    sunday = monday + dt.timedelta(days=6)
    providers = sorted((p for p in _providers.values() if p.report == WEEKLY), key=lambda p: (p.order, p.key))
    passes = []
    for _ in range(3):
        per_section = {}
        for p in providers:
            with counting() as n:
                t0 = time.perf_counter()
                for s in stores:
                    if p.kinds is None or s.kind in p.kinds:
                        p.fn(s, monday, sunday)
                per_section[p.key] = (time.perf_counter() - t0, n[0])
        passes.append(per_section)
    totals = [sum(t for t, _n in ps.values()) for ps in passes]
    queries = sum(n for _t, n in passes[-1].values())
    print(
        f"weekly report sections, {len(stores)} stores: median {statistics.median(totals):.2f} s "
        f"({statistics.median(totals) / len(stores) * 1000:.1f} ms a store), {queries:,} queries "
        f"({queries / len(stores):.1f} a store)"
    )
    for key in passes[0]:
        t = statistics.median(ps[key][0] for ps in passes)
        print(f"  section {key}: median {t:.2f} s, {passes[-1][key][1]:,} queries")
    with transaction.atomic():
        WeeklyReport.objects.filter(store__in=stores, week_start=monday).delete()
        times = []
        with counting() as n:
            for s in stores:
                t0 = time.perf_counter()
                report_save(by=admin, store=s, monday=monday, summary="基准周报")
                times.append((time.perf_counter() - t0) * 1000)
    print(
        f"weekly report drafts (report_save) for {len(stores)} stores: {sum(times) / 1000:.2f} s, "
        f"median {statistics.median(times):.1f} ms a store, {n[0]:,} queries ({n[0] / len(stores):.1f} a store)"
    )
    report = WeeklyReport.objects.filter(store=store, week_start=monday).first()
    if report is not None:
        client = Client()
        client.force_login(manager)
        median, queries = timed_page(client, f"/reports/{store.pk}/week/{monday.isoformat()}/")
        print(f"weekly report page of one store: median {median:.1f} ms, {queries} queries")


if __name__ == "__main__":
    main()
