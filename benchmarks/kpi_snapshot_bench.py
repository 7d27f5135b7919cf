"""The KPI snapshot beat job for 50 stores on PostgreSQL: first run, a run when nothing changed, and a
run after one change, each checked against the figures computed store by store.

    scripts/services.sh .venv/bin/python benchmarks/kpi_snapshot_bench.py

Data, generated inside PostgreSQL: a year of tickets (120 a store and month: repair orders, complaints,
settled ones with amounts), a year of follow-ups (1,200 a store, through `followups_bench.copy_followups`),
a checklist run a store and day, and a manual CSI score a store and month. Goals (#13): the first run
under 10 s, a run with nothing changed under 1 s. The last line: what the job did before, store by
store, for this month and last (the steady state).
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import followups_bench  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

STORES = 50
TICKETS_PER_STORE_MONTH = 120
FOLLOWUPS_PER_STORE = 1_200
RUNS = 5


def sql(statement, params=None):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def build():
    from apps.customers.models import Customer
    from apps.followups.seeds import rules_seed
    from apps.org.models import RoleTier
    from apps.targets.models import ManualKpiValue
    from tests.factories.checklists import opening_template
    from tests.factories.org import OrganisationFactory, StoreFactory, member

    org = OrganisationFactory(name="基准集团", code="bench")
    stores = [
        StoreFactory(organisation=org, name=f"服务站{i}", code=f"b{i}", kind="service_station")
        for i in range(STORES)
    ]
    manager = member(stores[0], RoleTier.MANAGER, "bench_manager")
    workers = [member(stores[0], RoleTier.AFTERSALES, f"bench_tracker{i}") for i in range(5)]
    rule = rules_seed(org)["first-call-pickup"]
    Customer.objects.bulk_create(
        [Customer(store=s, name=f"客户{s.pk}-{k}", address="滨江市") for s in stores for k in range(20)]
    )
    customers = {}
    for pk, store_id in Customer.objects.values_list("pk", "store_id"):
        customers.setdefault(store_id, []).append(pk)
    ids = [s.pk for s in stores]
    first_customer = [customers[pk][0] for pk in ids]
    n = STORES * 12 * TICKETS_PER_STORE_MONTH
    # Ticket i: store i mod 50, raised up to a year ago; repair orders settled (19 in 20 on time),
    # one complaint in ten answered late, one in twenty never.
    sql(
        """
        INSERT INTO tickets_ticket (store_id, number, kind, title, description, customer_id, state, priority,
            assignee_id, created_by_id, source, is_major_repair, escalation_level, created_at, promised_at,
            settled_at, settlement_amount, on_time, answer_due_at, answered_at, review_reason, review_resolution, late_reason)
        SELECT (%(stores)s::int[])[1 + i %% %(k)s], 'K' || i::text, t.kind, '基准工单', '',
            (%(customers)s::int[])[1 + i %% %(k)s], 'closed', 'normal', %(owner)s, %(owner)s, '', false, 0,
            t.at, t.at + interval '1 day',
            CASE WHEN t.kind = 'repair_order' THEN t.at + interval '20 hours' END,
            CASE WHEN t.kind = 'repair_order' THEN 200 + i %% 4800 END,
            CASE WHEN t.kind = 'repair_order' THEN i %% 20 <> 0 END,
            CASE WHEN t.kind = 'complaint' THEN t.at + interval '2 days' END,
            CASE WHEN t.kind = 'complaint' AND i %% 20 <> 7 THEN
                t.at + (CASE WHEN i %% 10 = 3 THEN 3 ELSE 1 END) * interval '1 day' END,
            '', '', ''
        FROM generate_series(1, %(n)s) AS i,
            LATERAL (SELECT CASE WHEN i %% 10 = 0 THEN 'complaint' ELSE 'repair_order' END AS kind,
                            now() - ((i * 7919) %% 525600) * interval '1 minute' AS at) AS t
        """,
        {"stores": ids, "customers": first_customer, "k": STORES, "owner": manager.pk, "n": n},
    )
    today = timezone.localdate()
    for index, store in enumerate(stores):
        followups_bench.copy_followups(
            start_index=index * FOLLOWUPS_PER_STORE,
            count=FOLLOWUPS_PER_STORE,
            store=store,
            workers=workers,
            rule=rule,
            customers=customers[store.pk],
            today=today,
        )
    template = opening_template(stores[0])
    template.stores.add(*stores)
    # A run a store and day for a year: one in twelve never completed, items answered and failed.
    sql(
        """
        INSERT INTO checklists_checklistrun (template_id, store_id, assignee_id, date, starts_at, due_at, ends_at,
            state, item_count, answered_count, failed_count, completed_at)
        SELECT %(template)s, s, %(person)s, d::date, d + interval '8 hours', d + interval '9 hours',
            d + interval '18 hours',
            CASE WHEN (s + extract(doy FROM d)::int) %% 12 = 0 THEN 'missed' ELSE 'done' END, 7, 7,
            (s + extract(doy FROM d)::int) %% 3 / 2,
            CASE WHEN (s + extract(doy FROM d)::int) %% 12 = 0 THEN NULL ELSE d + interval '8 hours 40 minutes' END
        FROM unnest(%(stores)s::int[]) AS s,
            generate_series(current_date - 364, current_date, interval '1 day') AS d
        """,
        {"template": template.pk, "person": workers[0].pk, "stores": ids},
    )
    month = today.replace(day=1)
    months = []
    for _i in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    ManualKpiValue.objects.bulk_create(
        ManualKpiValue(
            kpi_key="manual.csi",
            store=s,
            month=m,
            value=Decimal(880 + (s.pk + m.month) % 40),
            entered_by=manager,
        )
        for s in stores
        for m in months
    )
    sql("VACUUM ANALYZE")
    return stores


def station_kpis():
    """The KPIs the job counts for these stores: the service station's profile (`KindKpi`, seeded by
    the targets migrations), not the whole catalogue."""
    from apps.targets import profiles

    return [p.entry for p in profiles.profile_for_kinds(["service_station"])]


def timed(fn, *args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        took = time.perf_counter() - t0
    return result, took, len(ctx.captured_queries)


def check(stores, months):
    """Every snapshot row of these stores and months equals the KPI computed for its store alone."""
    from apps.targets.models import KpiSnapshot

    stored = {
        (r.store_id, r.kpi_key, r.month): (r.numerator, r.denominator, r.value)
        for r in KpiSnapshot.objects.filter(store__in=stores, month__in=months)
    }
    checked = 0
    for store in stores:
        for month in months:
            for entry in station_kpis():
                v = entry.compute([store], None, month)
                assert stored[(store.pk, entry.key, month)] == (v.numerator, v.denominator, v.value), (
                    store,
                    entry.key,
                    month,
                )
                checked += 1
    return checked


def main():
    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql", "run through scripts/services.sh (PostgreSQL)"
    from apps.targets.models import KpiSnapshot
    from apps.targets.services import snapshot_months, snapshot_refresh_due
    from apps.tickets.models import Ticket

    t0 = time.perf_counter()
    stores = build()
    print(
        f"data: {STORES} stores, {Ticket.objects.count():,} tickets, "
        f"{STORES * FOLLOWUPS_PER_STORE:,} follow-ups, {STORES * 365:,} checklist runs over a year "
        f"(built in {time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    months = snapshot_months()
    entries = station_kpis()
    n_kpis = len(entries)

    written, first, queries = timed(snapshot_refresh_due)
    assert KpiSnapshot.objects.count() == STORES * 12 * n_kpis
    print(
        f"first run ({STORES} stores × 12 months × {n_kpis} KPIs): {first:.2f} s, {queries} queries, "
        f"{written:,} rows written",
        flush=True,
    )

    steady = []
    for _i in range(RUNS):
        written, took, queries = timed(snapshot_refresh_due)
        assert written == 0, written
        steady.append(took)
    print(
        f"nothing changed since the last run: median {statistics.median(steady):.3f} s "
        f"(min {min(steady):.3f}, max {max(steady):.3f}) over {RUNS} runs, {queries} queries, 0 rows written",
        flush=True,
    )

    # One repair order settled late in store 7 this month: that store's on-time rate and output change.
    store = stores[7]
    before = KpiSnapshot.objects.get(store=store, month=months[-1], kpi_key="tickets.on_time_rate")
    Ticket.objects.create(
        store=store,
        number="K-late",
        kind="repair_order",
        title="基准工单",
        state="closed",
        customer=store.customers.first(),
        created_by_id=Ticket.objects.values_list("created_by_id", flat=True).first(),
        settled_at=timezone.now(),
        on_time=False,
        settlement_amount=Decimal(1000),
    )
    written, took, queries = timed(snapshot_refresh_due)
    after = KpiSnapshot.objects.get(store=store, month=months[-1], kpi_key="tickets.on_time_rate")
    assert after.denominator == before.denominator + 1, (before.denominator, after.denominator)
    print(f"after one ticket settled: {took:.3f} s, {queries} queries, {written} rows written", flush=True)

    checked = check(stores[:5] + [store], months)
    print(f"checked: {checked:,} snapshot rows equal their KPI computed for the store alone", flush=True)

    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        for s in stores:
            for month in months[-2:]:
                for entry in entries:
                    entry.compute([s], None, month)
    print(
        f"before (#13): each store's KPIs computed alone, this month and last: "
        f"{time.perf_counter() - t0:.2f} s, {len(ctx.captured_queries)} queries"
    )


if __name__ == "__main__":
    main()
