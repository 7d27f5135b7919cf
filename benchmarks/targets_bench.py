"""Targets benchmark: the manager's dashboard for 1 and for 50 stores with a year of tickets, the beat
job that refreshes the KPI snapshot table, and the department's year printed as one PDF.

    scripts/services.sh .venv/bin/python benchmarks/targets_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

STORES = 50
TICKETS_PER_STORE_MONTH = 120
RUNS = 15


def main():
    call_command("migrate", verbosity=0)
    from apps.customers.models import Customer
    from apps.org.models import Department, Membership, Organisation, RoleTier, Store, User
    from apps.printing.models import PrintJob
    from apps.targets import services
    from apps.targets.documents import department_year
    from apps.targets.models import ActionStep, BudgetLine, PlanObjective
    from apps.tickets.models import Ticket
    from tests.factories.targets import hold, position, scheme

    rnd = random.Random(7)
    org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
    stores = [
        Store.objects.get_or_create(
            organisation=org, code=f"b{i}", defaults={"name": f"服务站{i}", "kind": "service_station"}
        )[0]
        for i in range(STORES)
    ]
    one = User.objects.get_or_create(username="bench-one")[0]
    many = User.objects.get_or_create(username="bench-many")[0]
    admin = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})[0]
    Membership.objects.get_or_create(user=one, store=stores[0], tier=RoleTier.MANAGER)
    for s in stores:
        Membership.objects.get_or_create(user=many, store=s, tier=RoleTier.MANAGER)
    customers = {s.pk: Customer.objects.get_or_create(store=s, name="基准客户")[0] for s in stores}

    today = timezone.localdate()
    t0 = time.perf_counter()
    if not Ticket.objects.filter(store__in=stores).exists():
        rows = []
        n = 0
        for s in stores:
            for back in range(12):
                month = (today.replace(day=1) - dt.timedelta(days=31 * back)).replace(day=1)
                for _k in range(TICKETS_PER_STORE_MONTH):
                    n += 1
                    day = rnd.randint(1, 28)
                    at = timezone.make_aware(dt.datetime(month.year, month.month, day, 10))
                    if at.date() > today:
                        continue
                    complaint = n % 10 == 0
                    rows.append(
                        Ticket(
                            store=s,
                            number=f"B{n:08d}",
                            kind="complaint" if complaint else "repair_order",
                            title="基准工单",
                            customer=customers[s.pk],
                            created_by=admin,
                            assignee=admin,
                            state="closed",
                            settled_at=None if complaint else at,
                            on_time=None if complaint else rnd.random() < 0.95,
                            settlement_amount=None if complaint else Decimal(rnd.randint(200, 5000)),
                            answer_due_at=at + dt.timedelta(days=2) if complaint else None,
                            answered_at=at + dt.timedelta(hours=rnd.randint(1, 72)) if complaint else None,
                        )
                    )
                    if len(rows) >= 5000:
                        Ticket.objects.bulk_create(rows)
                        rows = []
        Ticket.objects.bulk_create(rows)
    tickets = Ticket.objects.filter(store__in=stores).count()
    print(
        f"data: {STORES} stores, {tickets} tickets over 12 months (built in {time.perf_counter() - t0:.1f} s)"
    )

    from apps.targets.models import KpiSnapshot

    KpiSnapshot.objects.filter(store__in=stores).delete()
    t0 = time.perf_counter()
    services.snapshot_refresh_due()
    print(f"beat job, first run (12 months × {STORES + 0} stores): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    services.snapshot_refresh_due()
    print(f"beat job, steady state (this and last month): {time.perf_counter() - t0:.2f} s")

    for label, user in (("1 store", one), (f"{STORES} stores", many)):
        client = Client()
        client.force_login(user)
        client.get("/targets/dashboard/")
        times = []
        for _i in range(RUNS):
            t0 = time.perf_counter()
            response = client.get("/targets/dashboard/")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get("/targets/dashboard/")
        with CaptureQueriesContext(connection) as home:
            client.get("/")
        print(
            f"dashboard, manager of {label}: median {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}) over {RUNS} runs; {len(ctx)} queries "
            f"(home page with the panel: {len(home)} queries)"
        )

    # The department's year: a plan with 60 objectives, 8 letters, 12 months of pay sheets for 8 people.
    store = stores[0]
    dept = Department.objects.get_or_create(
        organisation=org, code="bench-dept", defaults={"name": "售后服务部", "store": store}
    )[0]
    plan = services.plan_create(
        by=admin, department=dept, store=store, year=today.year, responsible=one, direction="基准"
    )
    PlanObjective.objects.bulk_create(
        PlanObjective(plan=plan, category="basic", text=f"目标{i}", quarter=i % 4 + 1) for i in range(60)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, item=f"预算{i}", q1=100, q2=200, q3=300, q4=400) for i in range(12)
    )
    ActionStep.objects.bulk_create(
        ActionStep(plan=plan, quarter=i % 4 + 1, text=f"步骤{i}", owner=one) for i in range(20)
    )
    people = []
    for i in range(8):
        u = User.objects.get_or_create(username=f"bench-p{i}", defaults={"display_name": f"员工{i}"})[0]
        Membership.objects.get_or_create(user=u, store=store, tier=RoleTier.CLERK)
        people.append(u)
    pos = position(
        org,
        f"服务顾问{plan.pk}",
        kpis=[("准时交车率", "96", "%"), ("产值", "220", "万元")],
        duties=["接待"] * 10,
    )
    sch = scheme(pos, store)
    for u in people:
        hold(pos, u, store)
        services.letter_create(
            by=admin,
            position=pos,
            holder=u,
            store=store,
            period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year, 12, 31),
        )
        for m in range(1, today.month + 1):
            services.pay_sheet_compute(by=None, scheme=sch, user=u, month=dt.date(today.year, m, 1))
    job = PrintJob.objects.create(
        owner=admin, builder="targets.department_year", title="bench", params={"plan_id": plan.pk}
    )
    t0 = time.perf_counter()
    filename, pdf = department_year(job=job, params=job.params, progress=lambda d, t: None)
    elapsed = time.perf_counter() - t0
    from tests.pdf_checks import page_count

    print(
        f"department year as one PDF: {elapsed:.2f} s, {page_count(pdf)} pages, {len(pdf) // 1024} KiB "
        f"(plan + 8 letters + {8 * today.month} pay sheets)"
    )


if __name__ == "__main__":
    main()
