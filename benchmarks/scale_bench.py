"""Scale: each page's median at 10k and at 1M rows on PostgreSQL, and reminder dispatch at 1M.

    scripts/services.sh .venv/bin/python benchmarks/scale_bench.py [--sizes 10000,1000000]

The data comes from the other benchmarks' generators: customers, phones, vehicles and tickets are
generated inside PostgreSQL (`customers_bench.load`), follow-ups are loaded with COPY
(`followups_bench.copy_followups`). On top of them: one complaint in fifty is escalated, and one
ticket in five hundred is escalated to the manager (the home page's "my tickets"). Half of every
table is in the measured store. Prints per page: queries, the median at each size and the ratio,
then the worst ratio and the reminders sent per second at the largest size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import customers_bench  # noqa: E402
import followups_bench  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 9
DUE = 10_000


def sql(statement, params=None):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def setup():
    from apps.followups.seeds import rules_seed
    from apps.org.models import RoleTier
    from tests.factories.org import member

    a, b, manager = customers_bench.setup_org()
    workers = [member(a, RoleTier.AFTERSALES, f"bench_tracker{i}") for i in range(5)]
    rules = rules_seed(a.organisation)
    return a, b, manager, workers, rules


def load(start, end, a, b, manager, workers, rule, today):
    t0 = time.perf_counter()
    customers_bench.load(start, end, a, b, manager)
    # Escalations on the new tickets: one complaint in fifty; one ticket in 500 escalated to the manager.
    sql(
        "UPDATE tickets_ticket SET escalation_level = 1, answer_due_at = created_at + interval '2 days' "
        "WHERE id > %s AND kind = 'complaint' AND id %% 50 = 1",
        [start],
    )
    sql(
        "INSERT INTO tickets_ticket_escalated_to (ticket_id, user_id) "
        "SELECT id, %s FROM tickets_ticket WHERE id > %s AND id %% 500 = 7",
        [manager.pk, start],
    )
    store_a_customers = list(range(1, min(end, 10_000), 2))  # odd ids: store a
    followups_bench.copy_followups(
        start_index=start,
        count=end - start,
        store=a,
        workers=workers,
        rule=rule,
        customers=store_a_customers,
        today=today,
    )
    # As autovacuum leaves a table at rest: statistics, and the visibility map index-only scans use.
    sql("VACUUM ANALYZE")
    return time.perf_counter() - t0


def measure(client, url, runs=RUNS):
    times, queries = [], 0
    client.get(url)  # warm caches
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def dispatch_rate(due=DUE):
    """`due` reminders falling due within a minute, on open follow-ups of the measured store."""
    from apps.followups.reminders import reminders_dispatch
    from apps.notifications.models import Notification

    now = timezone.now()
    ids = followups_bench.reminders_due_within_a_minute(due, now)
    sql("ANALYZE followups_reminder")
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        sent = reminders_dispatch(now=now)
        took = time.perf_counter() - t0
    assert sent == len(ids) == Notification.objects.filter(key__startswith="followups:bench:").count()
    return sent, took, len(ctx.captured_queries)


def plain_claim_rate(due=DUE, batch=500):
    """For scale: a bare claim loop on the same database (claim a batch, mark it sent, commit)."""
    from django.db import transaction

    from apps.followups.models import FollowUp, Reminder

    now = timezone.now()
    ids = list(FollowUp.objects.filter(state="open").order_by("-pk").values_list("pk", flat=True)[:due])
    Reminder.objects.bulk_create(
        [Reminder(followup_id=pk, kind="expiring", key=f"plain:{pk}", due_at=now) for pk in ids],
        batch_size=5000,
    )
    t0 = time.perf_counter()
    claimed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "UPDATE followups_reminder SET sent_at = %s WHERE id IN (SELECT id FROM followups_reminder "
                "WHERE sent_at IS NULL AND cancelled_at IS NULL AND due_at <= %s ORDER BY due_at, id "
                "LIMIT %s FOR UPDATE SKIP LOCKED)",
                [now, now, batch],
            )
            if not cur.rowcount:
                break
            claimed += cur.rowcount
    return claimed / (time.perf_counter() - t0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql", "run through scripts/services.sh (PostgreSQL)"
    a, b, manager, workers, rules = setup()
    today = timezone.localdate()
    manager_client, worker_client = Client(), Client()
    manager_client.force_login(manager)
    worker_client.force_login(workers[0])
    results, trivial, loaded = {}, {}, 0
    for size in sizes:
        seconds = load(loaded, size, a, b, manager, workers, rules["first-call-pickup"], today)
        loaded = size
        print(
            f"loaded {size:,} customers, tickets and follow-ups (and phones, vehicles) in {seconds:.0f} s",
            flush=True,
        )
        from apps.tickets.models import Ticket

        ticket = Ticket.objects.filter(store=a).order_by("-pk").first()
        pages = {
            "customers list": (manager_client, "/customers/"),
            "tickets list": (manager_client, "/tickets/"),
            "follow-up queue, store, upcoming": (manager_client, "/followups/?scope=all&section=upcoming"),
            "follow-up queue, store, today": (manager_client, "/followups/?scope=all&section=today"),
            "follow-up queue, own, today": (worker_client, "/followups/?scope=mine&section=today"),
            "manager's dashboard": (manager_client, "/targets/dashboard/"),
            "home / of a manager": (manager_client, "/"),
            "ticket detail": (manager_client, f"/tickets/{ticket.pk}/"),
        }
        results[size] = {label: measure(client, url) for label, (client, url) in pages.items()}
        # A trivial Django view for scale: the sign-in page redirecting a signed-in person.
        trivial[size] = measure(manager_client, "/accounts/login/")[0]
        for label, (ms, q) in results[size].items():
            print(f"  {size:>9,}  {label:<36} {ms:8.1f} ms  {q:3d} queries", flush=True)
    sent, took, queries = dispatch_rate()
    plain = plain_claim_rate()
    small, big = sizes[0], sizes[-1]
    print()
    print(
        f"{'page':<36} {'queries':>9} {f'{small:,} ms':>12} {f'{big:,} ms':>12} {'ratio':>7} {'× trivial':>10}"
    )
    worst = (0.0, "")
    for label in results[small]:
        ms_s, q_s = results[small][label]
        ms_b, q_b = results[big][label]
        ratio = ms_b / ms_s
        worst = max(worst, (ratio, label))
        queries_text = f"{q_s}" if q_s == q_b else f"{q_s}→{q_b}"
        print(
            f"{label:<36} {queries_text:>9} {ms_s:12.1f} {ms_b:12.1f} {ratio:6.2f}× "
            f"{ms_b / trivial[big]:9.1f}×"
        )
    print(f"{'trivial view (sign-in redirect)':<36} {'':>9} {trivial[small]:12.1f} {trivial[big]:12.1f}")
    print(
        f"dispatch: {sent:,} reminders due in one minute, at {big:,} follow-ups: {took:.2f} s, {queries} queries"
    )
    print(f"a plain claim loop on the same database: {plain:,.0f} reminders/s")
    print(f"worst ratio 1M/10k: {worst[0]:.2f} ({worst[1]})")
    print(f"reminders per second at 1M: {sent / took:,.0f}")


if __name__ == "__main__":
    main()
