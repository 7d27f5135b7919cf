"""The beat job's work: open and expire follow-ups, send due reminders, deliver e-mail / webhooks.

The database is the source of truth. Each step claims a batch of rows with
`select_for_update(skip_locked=True)` and does everything for that batch in one transaction: the
in-app notifications (apps.notifications, keyed by reminder and person), one `SendLog` row per person and channel (its key is unique, so a second send
of the same reminder fails instead of going out twice) and the reminder's `sent_at`. A worker that
dies mid-batch rolls the whole batch back and the next tick sends it; two beats running at once
claim disjoint rows. E-mail and webhooks leave the process, so they are written as queued `SendLog`
rows in that same transaction and delivered afterwards, one claimed row at a time (at least once: a
crash between the SMTP call and its commit can repeat that single message).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.bulk_inserts import rows_insert
from apps.chat_robots import robot_notify as webhook_notify
from apps.notifications.services import Message, notifications_send_batch
from apps.org.selectors import managers_of

from .engine import followup_close, has_open_order, today_local
from .models import FollowUp, Reminder, SendLog, StoreWebhook

log = logging.getLogger(__name__)
BATCH = 2000
MANAGER_KINDS = {Reminder.Kind.OVERDUE, Reminder.Kind.ALERT}


def followups_open_and_expire(*, today: dt.date | None = None, batch: int = BATCH) -> dict:
    """Scheduled follow-ups whose window opened become open; open ones past expiry become missed."""
    today = today or today_local()
    opened = expired = skipped = 0
    while True:
        with transaction.atomic():
            rows = list(
                FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=FollowUp.State.SCHEDULED, window_start__lte=today)
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            for fu in rows:
                if fu.rule.skip_if_open_order and has_open_order(
                    customer_id=fu.customer_id, asset_id=fu.asset_id
                ):
                    followup_close(
                        fu, state=FollowUp.State.SKIPPED, outcome=_("Skipped: the asset has an open order.")
                    )
                    skipped += 1
                else:
                    fu.state = FollowUp.State.OPEN
                    fu.save(update_fields=["state"])
                    opened += 1
    while True:
        with transaction.atomic():
            rows = list(
                FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state__in=FollowUp.ACTIVE, expires_on__lt=today)
                .select_related("rule__next_rule", "store", "customer")
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            for fu in rows:
                followup_close(
                    fu,
                    state=FollowUp.State.MISSED,
                    outcome=_("Expired without a recorded outcome."),
                    chain_from=fu.expires_on,
                )
                expired += 1
    return {"opened": opened, "expired": expired, "skipped": skipped}


def _titles() -> dict[str, str]:
    """Each reminder kind's title as its English msgid, with a %(customer)s placeholder (the inbox
    stores the msgid and translates it for each reader)."""
    return {
        Reminder.Kind.OPENED: gettext_noop("Follow-up due: %(customer)s"),
        Reminder.Kind.EXPIRING: gettext_noop("Last day for the follow-up of %(customer)s"),
        Reminder.Kind.OVERDUE: gettext_noop("Overdue follow-up: %(customer)s"),
        Reminder.Kind.CALLBACK: gettext_noop("Call %(customer)s again now"),
        Reminder.Kind.ALERT: gettext_noop("Alert from a follow-up call: %(customer)s"),
    }


def _message(reminder: Reminder) -> tuple[str, str]:
    fu = reminder.followup
    title = str(Message(_titles()[reminder.kind], customer=fu.customer.name))
    body = reminder.text or f"{fu.rule.name} · {fu.reason}"
    return title, body


def inbox_key(reminder_key: str, user_id: int) -> str:
    """The in-app notification's key: one per reminder and person, like the in-app SendLog's."""
    return f"followups:{reminder_key}:u{user_id}"


def _hook_for_send(index: int) -> None:
    """Called after each reminder is written inside the batch transaction (tests break in here)."""


# What a batch reads of each claimed reminder: plain values, no model objects.
CLAIM_FIELDS = (
    "pk",
    "key",
    "kind",
    "text",
    "followup_id",
    "followup__store_id",
    "followup__state",
    "followup__customer_id",
    "followup__asset_id",
    "followup__next_attempt_at",
    "followup__reason",
    "followup__customer__name",
    "followup__rule__name",
    "followup__rule__skip_if_open_order",
    "followup__assignee_id",
    "followup__assignee__email",
)
SENDLOG_COLUMNS = (
    "reminder_id", "user_id", "webhook_id", "channel", "key", "status", "tries", "error", "created_at", "sent_at"
)  # fmt: skip
_URL_SENTINEL = 987654321


def reminders_dispatch(*, now: dt.datetime | None = None, batch: int = BATCH, max_batches: int = 1000) -> int:
    """Send every due reminder once. Returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for _i in range(max_batches):
        with transaction.atomic():
            claimed = _claim(now, batch)
            if not claimed:
                break
            sent += _send_batch(claimed, now)
    return sent


def _claim(now: dt.datetime, batch: int) -> list[dict]:
    """Claim up to `batch` due reminders for this transaction, mark them sent and read `CLAIM_FIELDS`
    of each: rows another worker holds are skipped (`FOR UPDATE SKIP LOCKED`), a rollback unclaims
    them. `_send_batch` moves the ones it does not send from sent to cancelled. On PostgreSQL one
    statement (the UPDATE in a WITH); elsewhere an UPDATE … RETURNING and a SELECT."""
    due = (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "pk")
        .values("pk")[:batch]
    )
    subquery, params = due.query.sql_with_params()
    table = connection.ops.quote_name(Reminder._meta.db_table)
    sent_at = Reminder._meta.get_field("sent_at").get_db_prep_value(now, connection)
    claim = f"UPDATE {table} SET sent_at = %s WHERE id IN ({subquery}) RETURNING id"
    rows = Reminder.objects.order_by("due_at", "pk").values(*CLAIM_FIELDS)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(claim, [sent_at, *params])
            ids = [row[0] for row in cursor.fetchall()]
        return list(rows.filter(pk__in=ids)) if ids else []
    query = rows.filter(pk__in=RawSQL("SELECT id FROM claimed", [])).query
    select, select_params = query.sql_with_params()
    names = [*query.extra_select, *query.values_select, *query.annotation_select]  # as values() names them
    with connection.cursor() as cursor:
        cursor.execute(f"WITH claimed AS ({claim}) {select}", [sent_at, *params, *select_params])
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def followup_url_template() -> str:
    """The follow-up page's address with `{}` for its id: one `reverse()` per batch, not per row."""
    url = reverse("followups:detail", args=[_URL_SENTINEL])
    return url.replace(str(_URL_SENTINEL), "{}")


def _send_batch(claimed: list[dict], now: dt.datetime) -> int:
    store_ids = {r["followup__store_id"] for r in claimed}
    managers: dict[int, list[tuple[int, str]]] = {}
    hooks: dict[int, list[int]] = defaultdict(list)
    if any(r["kind"] in MANAGER_KINDS for r in claimed):
        from apps.org.models import Store

        for store in Store.objects.filter(pk__in=store_ids):
            managers[store.pk] = [(u.pk, u.email) for u in managers_of(store=store)]
    for hook_id, store_id in StoreWebhook.objects.filter(store_id__in=store_ids, is_active=True).values_list(
        "pk", "store_id"
    ):
        hooks[store_id].append(hook_id)
    titles = _titles()
    url_template = followup_url_template()
    notifications: list[dict] = []
    logs: list[tuple] = []
    sent_ids: list[int] = []
    cancelled_ids: list[int] = []
    for index, r in enumerate(claimed):
        kind, key, store_id = r["kind"], r["key"], r["followup__store_id"]
        if kind != Reminder.Kind.ALERT and r["followup__state"] not in FollowUp.ACTIVE:
            cancelled_ids.append(r["pk"])
            continue
        if (
            kind != Reminder.Kind.ALERT
            and r["followup__rule__skip_if_open_order"]
            and has_open_order(customer_id=r["followup__customer_id"], asset_id=r["followup__asset_id"])
        ):
            fu = FollowUp.objects.get(pk=r["followup_id"])
            followup_close(
                fu, state=FollowUp.State.SKIPPED, outcome=_("Skipped: the asset has an open order.")
            )
            cancelled_ids.append(r["pk"])
            continue
        next_attempt = r["followup__next_attempt_at"]
        if kind == Reminder.Kind.CALLBACK and next_attempt and next_attempt > now:
            cancelled_ids.append(r["pk"])  # superseded by a later call-back
            continue
        manager_kind = kind in MANAGER_KINDS
        if manager_kind:
            people = managers.get(store_id, [])
        elif r["followup__assignee_id"]:
            people = [(r["followup__assignee_id"], r["followup__assignee__email"])]
        else:
            people = []
        title = Message(titles[kind], customer=r["followup__customer__name"])
        body = r["text"] or f"{r['followup__rule__name']} · {r['followup__reason']}"
        url = url_template.format(r["followup_id"])
        level = "warning" if manager_kind else "info"
        for person_id, email in people:
            notifications.append(
                {
                    "recipient_id": person_id,
                    "key": inbox_key(key, person_id),
                    "title": title,
                    "body": body,
                    "url": url,
                    "store_id": store_id,
                    "level": level,
                    "source": "followups",
                }
            )
            logs.append((r["pk"], person_id, None, SendLog.ChannelKind.INAPP, f"{key}:u{person_id}:inapp",
                         SendLog.Status.SENT, 0, "", now, now))  # fmt: skip
            if email:  # the e-mail channel sends only to people with an address
                logs.append((r["pk"], person_id, None, SendLog.ChannelKind.EMAIL, f"{key}:u{person_id}:email",
                             SendLog.Status.QUEUED, 0, "", now, None))  # fmt: skip
        if manager_kind:
            for hook_id in hooks.get(store_id, []):
                logs.append((r["pk"], None, hook_id, SendLog.ChannelKind.WEBHOOK, f"{key}:h{hook_id}:webhook",
                             SendLog.Status.QUEUED, 0, "", now, None))  # fmt: skip
        sent_ids.append(r["pk"])
        _hook_for_send(index)
    # SendLog first: its unique key refuses a second send and rolls the whole batch back.
    for start in range(0, len(logs), 5000):
        rows_insert(SendLog, SENDLOG_COLUMNS, logs[start : start + 5000])
    notifications_send_batch(notifications, batch_size=5000)
    if cancelled_ids:  # claimed as sent by `_claim`
        Reminder.objects.filter(pk__in=cancelled_ids).update(sent_at=None, cancelled_at=now)
    return len(sent_ids)


def outbox_deliver(*, batch: int = 200) -> int:
    """Deliver queued e-mails and webhook posts, one claimed row per transaction; one INFO line for
    the batch (each message is logged at DEBUG by the mail backend in development)."""
    delivered = 0
    counts: Counter[str] = Counter()
    for _i in range(batch):
        with transaction.atomic():
            entry = (
                SendLog.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=SendLog.Status.QUEUED)
                .select_related("reminder__followup__customer", "reminder__followup__rule", "user", "webhook")
                .order_by("pk")
                .first()
            )
            if entry is None:
                break
            title, body = _message(entry.reminder)
            link = settings.SITE_URL.rstrip("/") + entry.reminder.followup.get_absolute_url()
            try:
                if entry.channel == SendLog.ChannelKind.EMAIL:
                    send_mail(title, f"{body}\n\n{link}", None, [entry.user.email])
                else:
                    webhook_notify(entry.webhook.url, title=title, body=f"{body}\n{link}")
            except Exception as exc:  # a mail server or robot that is down: try again next tick
                entry.tries += 1
                entry.error = f"{exc.__class__.__name__}: {exc}"[:250]
                if entry.tries >= 5:
                    entry.status = SendLog.Status.FAILED
                entry.save(update_fields=["tries", "error", "status"])
                log.warning("followups: %s not delivered: %s", entry.key, exc)
                counts["failed"] += 1
                continue
            entry.status = SendLog.Status.SENT
            entry.sent_at = timezone.now()
            entry.tries += 1
            entry.save(update_fields=["status", "sent_at", "tries"])
            delivered += 1
            counts[entry.channel] += 1
    if counts:
        log.info(
            "followups: outbox delivered %d e-mails and %d webhook posts; %d not delivered",
            counts[SendLog.ChannelKind.EMAIL],
            counts[SendLog.ChannelKind.WEBHOOK],
            counts["failed"],
        )
    return delivered


def followups_tick(*, now: dt.datetime | None = None) -> dict:
    """What the beat job does every minute."""
    now = now or timezone.now()
    result = followups_open_and_expire(today=timezone.localtime(now).date())
    result["sent"] = reminders_dispatch(now=now)
    result["delivered"] = outbox_deliver()
    return result
