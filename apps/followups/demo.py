"""Demo: the rules of the source documents and a queue for `aftersales` (中心营业厅) and `tracker`
(城东汽车服务站) with items due today, overdue and upcoming, and some calls already made.

Follow-ups are keyed (`demo:<store>:<n>`), so a second run the same day creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.customers.selectors import AssetKind, customers_of_store
from apps.customers.services import asset_create, customer_create

from .engine import followup_create_for, followups_generate
from .models import Attempt, FollowUp
from .seeds import rules_seed

OWN_CUSTOMERS = {
    "hall-central": [
        ("林晓燕", "vip"),
        ("黄建国", "normal"),
        ("郭美玲", "normal"),
        ("何志强", "key"),
        ("罗静", "normal"),
    ],
    "station-east": [
        ("马俊", "normal"),
        ("胡海涛", "vip"),
        ("朱丽华", "normal"),
        ("高峰", "key"),
        ("梁文", "normal"),
    ],
}
# (rule code, days from today to the trigger, state, satisfaction): each store's own rules (the
# station's 是否准时交车 call is never the hall's).
HALL_PLAN = [
    ("hall-complaint-call", -1, "open", None),
    ("hall-service-call", -2, "open", None),
    ("hall-service-call", -5, "open", None),  # overdue
    ("hall-service-call", 1, "scheduled", None),  # upcoming
    ("vip-periodic", 3, "scheduled", None),
    ("hall-service-call", -3, "done", 5),
    ("hall-complaint-call", -1, "done", 4),
]
DONE_OUTCOME = {"hall-central": "客户对业务办理满意。", "station-east": "客户对服务满意，车辆使用正常。"}
PLAN = [
    ("first-call-pickup", -4, "open", None),
    ("new-product", -1, "open", None),
    ("major-repair", -2, "open", None),
    ("first-call-pickup", -9, "open", None),  # overdue
    ("maintenance", 10, "open", None),
    ("first-call-pickup", 1, "scheduled", None),  # upcoming
    ("vip-periodic", 3, "scheduled", None),
    ("first-call-pickup", -6, "done", 5),
    ("new-product", -5, "done", 4),
    ("major-repair", -3, "done", 5),
]


def _customers(ctx, code: str, owner) -> list:
    store = ctx.stores[code]
    on_file = customers_of_store(store=store)
    existing = list(on_file.filter(anonymised_at__isnull=True)[:10])
    if len(existing) >= 5:
        return existing
    out = []
    for i, (name, tier) in enumerate(OWN_CUSTOMERS[code], start=1):
        customer = on_file.filter(name=name).first()
        ctx.count(customer is None)
        if customer is None:
            customer = customer_create(
                store=store,
                name=name,
                phones=[(f"+86139{store.pk:02d}{i:06d}", "")],
                tier=tier,
                owner=owner,
                address=f"{store.address} 附近小区 {i} 栋",
            )
            asset_create(
                customer=customer,
                kind=AssetKind.VEHICLE if code == "station-east" else AssetKind.PRODUCT,
                model_name="帕萨特" if code == "station-east" else "智能终端",
                plate=f"浙A{store.pk}{i:04d}" if code == "station-east" else "",
                serial_number="" if code == "station-east" else f"SN{store.pk}{i:05d}",
            )
        out.append(customer)
    return out


def seed(ctx) -> None:
    rules = rules_seed(ctx.organisation)
    today = timezone.localdate()
    for code, username in (("hall-central", "aftersales"), ("station-east", "tracker")):
        store = ctx.stores[code]
        worker = ctx.users[username]
        customers = _customers(ctx, code, worker)
        for n, (rule_code, offset, state, score) in enumerate(HALL_PLAN if code == "hall-central" else PLAN):
            key = f"demo:{code}:{n}"
            if FollowUp.objects.filter(key=key).exists():
                continue
            rule = rules[rule_code]
            customer = customers[n % len(customers)]
            trigger = today + dt.timedelta(days=offset)
            fu = followup_create_for(
                rule=rule,
                key=key,
                store=store,
                customer=customer,
                asset=customer.assets.first(),
                trigger_date=trigger,
                reason=f"{rule.get_trigger_display()} · {trigger:%Y-%m-%d}",
                today=today,
            )
            if fu is None:
                continue
            ctx.count(True)
            FollowUp.objects.filter(pk=fu.pk).update(assignee=worker)
            if state == "done":
                at = timezone.now() - dt.timedelta(days=1)
                FollowUp.objects.filter(pk=fu.pk).update(
                    state=FollowUp.State.DONE,
                    satisfaction=score,
                    outcome=DONE_OUTCOME[code],
                    completed_at=at,
                    completed_on=timezone.localdate(at),
                    completed_by=worker,
                )
                Attempt.objects.create(
                    followup=fu,
                    by=worker,
                    result=Attempt.Result.REACHED,
                    satisfaction=score,
                    outcome="使用正常",
                )
                fu.reminders.update(cancelled_at=at)
    # And whatever the customers and tickets demo data trigger.
    ctx.count(bool(followups_generate(today=today)))
