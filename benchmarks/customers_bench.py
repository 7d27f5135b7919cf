"""Customers and tickets at volume on PostgreSQL: median response time and query count of the
customers list, a phone search, a customer's timeline page and the tickets list.

    scripts/services.sh .venv/bin/python benchmarks/customers_bench.py [--sizes 100000,1000000]

Rows are generated inside PostgreSQL (INSERT … SELECT generate_series: no round trips), half of the
customers in the measured store; one phone each, a vehicle for every second customer, as many
tickets as customers. The trigram indexes are dropped during the load and rebuilt after it.
"""

import importlib
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 7
# The search indexes as the latest migration defines them (dropped for the load, rebuilt after it).
_search_indexes = importlib.import_module("apps.customers.migrations.0004_search_upper_trigram_indexes")
TRGM = _search_indexes.INDEXES


def sql(statement, params=None):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def setup_org():
    from apps.org.models import Membership, Organisation, RoleTier, Store, User

    org = Organisation.objects.create(name="基准集团", code="bench")
    a = Store.objects.create(organisation=org, name="基准服务站", code="a", kind="service_station")
    b = Store.objects.create(organisation=org, name="其他门店", code="b", kind="business_hall")
    clerk = User.objects.create_user("bench-clerk", password="x", display_name="基准员工")
    Membership.objects.create(user=clerk, store=a, tier=RoleTier.MANAGER)
    return a, b, clerk


def load(start, end, a, b, clerk):
    """Customers start+1..end (odd ids in store a), with phones, vehicles and tickets."""
    t0 = time.perf_counter()
    for name, _table, _col in TRGM:
        sql(f"DROP INDEX IF EXISTS {name}")
    sql(
        """
        INSERT INTO customers_customer (id, store_id, kind, name, contact_person, id_number, address, tier,
            contact_consent, preferred_channel, owner_id, wishes, notes, created_at, updated_at)
        SELECT i, CASE WHEN i %% 2 = 1 THEN %(a)s ELSE %(b)s END, 'individual',
            substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', 1 + i %% 20, 1)
              || substr('建国秀英伟芳娜敏静丽强磊军洋勇艳杰涛明超霞平', 1 + (i / 20) %% 20, 1)
              || substr('华文武德兴安福海', 1 + (i / 400) %% 8, 1) || (i %% 1000)::text,
            '', '', '滨江市东环路 ' || (i %% 999)::text || ' 号',
            CASE WHEN i %% 17 = 0 THEN 'vip' ELSE 'normal' END, true, 'phone', %(owner)s, '', '',
            now() - (i %% 1000) * interval '1 hour', now()
        FROM generate_series(%(s)s + 1, %(e)s) AS i
        """,
        {"a": a.pk, "b": b.pk, "owner": clerk.pk, "s": start, "e": end},
    )
    sql(
        """
        INSERT INTO customers_customerphone (customer_id, number, digits, label, is_primary)
        SELECT i, '+86139' || lpad(i::text, 8, '0'), '139' || lpad(i::text, 8, '0'), '', true
        FROM generate_series(%(s)s + 1, %(e)s) AS i
        """,
        {"s": start, "e": end},
    )
    sql(
        """
        INSERT INTO customers_asset (customer_id, kind, model_name, plate, vin, vehicle_type, serial_number,
            configuration, acceptance_record, packing_list, major_parts, maintenance_months, created_at)
        SELECT i, 'vehicle', '帕萨特', '浙A' || lpad(to_hex(i), 6, '0'), upper(substr(md5(i::text), 1, 17)), '轿车', '',
            '', '', '', '', 6, now()
        FROM generate_series(%(s)s + 1, %(e)s, 2) AS i
        """,
        {"s": start, "e": end},
    )
    sql(
        """
        INSERT INTO tickets_ticket (store_id, number, kind, title, description, customer_id, state, priority,
            assignee_id, created_by_id, source, is_major_repair, escalation_level, created_at, promised_at,
            settled_at, settlement_amount, on_time, review_reason, review_resolution, late_reason)
        SELECT CASE WHEN i %% 2 = 1 THEN %(a)s ELSE %(b)s END, 'B' || i::text,
            (ARRAY['repair_order','complaint','inquiry','follow_on'])[1 + i %% 4], '保养', '', i,
            (ARRAY['new','in_progress','waiting_customer','waiting_parts','resolved','closed'])[1 + i %% 6],
            'normal', %(owner)s, %(owner)s, '', false, 0, now() - (i %% 5000) * interval '1 minute',
            CASE WHEN i %% 4 = 0 THEN now() ELSE NULL END, CASE WHEN i %% 6 >= 4 THEN now() ELSE NULL END,
            CASE WHEN i %% 6 >= 4 THEN 500 ELSE NULL END, CASE WHEN i %% 6 >= 4 THEN i %% 25 <> 0 ELSE NULL END, '', '', ''
        FROM generate_series(%(s)s + 1, %(e)s) AS i
        """,
        {"a": a.pk, "b": b.pk, "owner": clerk.pk, "s": start, "e": end},
    )
    for name, table, col in TRGM:
        sql(_search_indexes.create_sql(name, table, col))
    sql(
        "SELECT setval(pg_get_serial_sequence('customers_customer', 'id'), (SELECT max(id) FROM customers_customer))"
    )
    sql("ANALYZE")
    return time.perf_counter() - t0


def history_for(customer_id, clerk):
    """A customer with a real history to show on the timeline: visits, notes, tickets and their events."""
    import datetime as dt

    from apps.customers.models import Customer
    from apps.customers.services import note_add, visit_create
    from apps.tickets.services import ticket_answer_customer, ticket_create

    customer = Customer.objects.get(pk=customer_id)
    asset = customer.assets.first()
    for k in range(20):
        visit_create(customer=customer, asset=asset, visited_on=dt.date(2025, 1, 1) + dt.timedelta(days=15 * k),
                     work_done="常规保养", by=clerk)  # fmt: skip
        note_add(customer=customer, text=f"回访记录 {k}", by=clerk)
    for _ in range(10):
        t = ticket_create(
            store=customer.store, customer=customer, kind="complaint", title="投诉", created_by=clerk
        )
        ticket_answer_customer(ticket=t, by=clerk, text="已答复")
    return customer


def measure(client, url):
    times, queries = [], 0
    client.get(url)  # warm caches
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main():
    sizes = [100_000, 1_000_000]
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql", "run through scripts/services.sh (PostgreSQL)"
    a, b, clerk = setup_org()
    client = Client()
    client.force_login(clerk)
    results, loaded = {}, 0
    timeline_customer = None
    for size in sizes:
        seconds = load(loaded, size, a, b, clerk)
        loaded = size
        print(
            f"loaded {size:,} customers, {size:,} phones, {size // 2:,} vehicles, {size:,} tickets in {seconds:.0f} s",
            flush=True,
        )
        if timeline_customer is None:
            timeline_customer = history_for(1, clerk)
        pages = {
            "customers list": "/customers/",
            "customers list, sorted by name, page 50": "/customers/?o=name&page=50",
            "phone search (any part: 0012345)": "/customers/?q=0012345",
            "name search (张建)": "/customers/?q=张建",
            "plate search (00a0f)": "/customers/?q=00a0f",
            "customer timeline page": f"/customers/{timeline_customer.pk}/",
            "tickets list": "/tickets/",
            "tickets list, open complaints": "/tickets/?kind=complaint&view=open",
        }
        results[size] = {label: measure(client, url) for label, url in pages.items()}
    print()
    header = f"{'page':<42}" + "".join(f"{f'{s:,} customers':>26}" for s in sizes)
    print(header)
    print(f"{'':<42}" + "".join(f"{'median ms / queries':>26}" for _ in sizes))
    for label in results[sizes[0]]:
        row = f"{label:<42}"
        for s in sizes:
            ms, q = results[s][label]
            row += f"{f'{ms:8.1f} ms / {q:2d}':>26}"
        print(row)


if __name__ == "__main__":
    main()
