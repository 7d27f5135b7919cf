"""The demo organisation, built from the facts of the source documents (shared/seeds/).

Every write is keyed on a natural key, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password

from .models import Department, Membership, OpenDays, Organisation, RoleTier, Store, StoreKind, User


@dataclass
class DemoContext:
    organisation: Organisation
    stores: dict[str, Store] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    created: int = 0

    def count(self, created: bool) -> None:
        self.created += int(created)


STORES = [
    # code, name, kind, address, phone, witness required
    ("hall-central", "中心营业厅", StoreKind.BUSINESS_HALL, "滨江市人民路 88 号", "0571-88001000", False),
    (
        "station-east",
        "城东汽车服务站",
        StoreKind.SERVICE_STATION,
        "滨江市东环路 1260 号",
        "0571-88002000",
        False,
    ),
    (
        "branch-riverside",
        "滨江支行营业网点",
        StoreKind.BANK_BRANCH,
        "滨江市江滨大道 9 号",
        "0571-88003000",
        True,
    ),
    ("hq", "集团总部", StoreKind.BACK_OFFICE, "滨江市人民路 90 号", "0571-88000000", False),
]
DEPARTMENTS = [
    # code, name, store code (None: the whole organisation)
    ("hall-ops", "营业部", "hall-central"),
    ("aftersales", "售后服务部", "station-east"),
    ("branch-ops", "网点营运部", "branch-riverside"),
    ("admin", "行政部", "hq"),
    ("hr", "人事部", "hq"),
    ("quality", "品管部", "hq"),
    ("engineering", "工程中心", None),
]
USERS = [
    # username, display name, phone, [(store, tier, department, title)], superuser
    ("admin", "李行政", "13800000001", [("hall-central", RoleTier.ADMIN, "admin", "行政主管")], True),
    ("manager", "王芳", "13800000002", [("hall-central", RoleTier.MANAGER, "hall-ops", "营业厅经理")], False),
    ("clerk", "张敏", "13800000003", [("hall-central", RoleTier.CLERK, "hall-ops", "营业员")], False),
    ("clerk2", "刘洋", "13800000004", [("hall-central", RoleTier.CLERK, "hall-ops", "营业员")], False),
    (
        "aftersales",
        "陈静",
        "13800000005",
        [("hall-central", RoleTier.AFTERSALES, "hall-ops", "客户回访员")],
        False,
    ),
    (
        "manager2",
        "赵强",
        "13800000006",
        [("station-east", RoleTier.MANAGER, "aftersales", "服务站长")],
        False,
    ),
    ("advisor", "孙丽", "13800000007", [("station-east", RoleTier.CLERK, "aftersales", "服务顾问")], False),
    (
        "tracker",
        "周涛",
        "13800000008",
        [("station-east", RoleTier.AFTERSALES, "aftersales", "跟踪业务员")],
        False,
    ),
    ("teller", "吴琳", "13800000009", [("branch-riverside", RoleTier.CLERK, "branch-ops", "柜员")], False),
    (
        "supervisor",
        "郑华",
        "13800000010",
        [("branch-riverside", RoleTier.MANAGER, "branch-ops", "营业主管")],
        False,
    ),
    ("teller2", "钱敏", "13800000011", [("branch-riverside", RoleTier.CLERK, "branch-ops", "柜员")], False),
    ("lobby", "何静", "13800000012", [("branch-riverside", RoleTier.CLERK, "branch-ops", "大堂经理")], False),
]
# Every demo user is printed by seed_demo (and listed in the README), in the order above.
SIGN_INS = [username for username, *_rest in USERS]


def seed_org() -> DemoContext:
    # Hashing is slow by design: hash the shared demo password once, for every new demo user.
    demo_hash = None
    org, created = Organisation.objects.get_or_create(code="xinyuan", defaults={"name": "鑫源服务集团"})
    ctx = DemoContext(organisation=org)
    ctx.count(created)
    for code, name, kind, address, phone, witness in STORES:
        store, created = Store.objects.get_or_create(
            organisation=org,
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "address": address,
                "phone": phone,
                "requires_handover_witness": witness,
                "opens_at": dt.time(8, 30),
                "closes_at": dt.time(18, 0),
                "open_days": OpenDays.WORKING_DAYS if kind == StoreKind.BACK_OFFICE else OpenDays.EVERY_DAY,
            },
        )
        ctx.stores[code] = store
        ctx.count(created)
    for code, name, store_code in DEPARTMENTS:
        dept, created = Department.objects.get_or_create(
            organisation=org,
            code=code,
            defaults={"name": name, "store": ctx.stores.get(store_code) if store_code else None},
        )
        ctx.departments[code] = dept
        ctx.count(created)
    for username, display, phone, memberships, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display,
                "phone": phone,
                "email": f"{username}@demo.dutydesk.local",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            demo_hash = demo_hash or make_password(settings.DEMO_PASSWORD)
            user.password = demo_hash
            user.save(update_fields=["password"])
        ctx.users[username] = user
        ctx.count(created)
        for store_code, tier, dept_code, title in memberships:
            _m, created = Membership.objects.get_or_create(
                user=user,
                store=ctx.stores[store_code],
                tier=tier,
                defaults={
                    "department": ctx.departments[dept_code],
                    "title": title,
                    "since": dt.date(2025, 1, 1),
                },
            )
            ctx.count(created)
    return ctx
