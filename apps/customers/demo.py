"""Demo customer files: a few hundred customers with vehicles (station-east) and delivered products
(hall-central), and a history of visits. Keyed on the primary phone: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from .models import Asset, Customer, CustomerPhone, Visit, VisitItem
from .phones import phone_normalise

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈"
)
GIVEN = [
    "建国",
    "秀英",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
]
COMPANIES = ["滨江环卫有限公司", "东环物流有限公司", "江城消防器材公司", "鑫达建设集团", "滨海旅游客运公司"]
STREETS = ["人民路", "东环路", "江滨大道", "解放路", "建设路", "新华路", "中山路"]
CARS = [("帕萨特 1.8T", "轿车"), ("途观 L", "SUV"), ("朗逸", "轿车"), ("速腾", "轿车"), ("迈腾", "轿车"),
        ("威然", "MPV"), ("环卫洒水车 DF-5", "专用车"), ("消防车 XF-12", "专用车")]  # fmt: skip
PRODUCTS = [("5G 家庭路由器 AX3000", "双频 WiFi 6, 千兆网口 ×4"), ("智能手机 Mate 60", "12GB+256GB"),
            ("光猫 HG8145", "GPON, 4 口"), ("机顶盒 IPTV-4K", "4K HDR")]  # fmt: skip
WORK = ["常规保养：更换机油、机滤", "更换前刹车片", "空调系统检修", "四轮定位", "事故车钣金喷漆", "更换蓄电池",
        "轮胎换位及动平衡", "发动机故障灯检测"]  # fmt: skip
PRODUCT_WORK = ["设备开通与调试", "上门安装", "故障检测与更换配件", "固件升级", "到店咨询套餐"]
STATIONS = {
    "station-east": ("浙A", 180, ["tracker", "advisor", "manager2"]),
    "hall-central": (None, 120, ["aftersales", "clerk", "manager"]),
}


PREFIXES = ["138", "139", "135", "137", "150", "151", "158", "159", "186", "187", "188"]


def _phone(rng: random.Random, n: int) -> str:
    return f"{rng.choice(PREFIXES)}{n % 10**8:08d}"


def seed(ctx) -> None:
    today = timezone.localdate()
    for code, (plate_prefix, count, owners) in STATIONS.items():
        rng = random.Random(f"demo-customers-{code}")
        store = ctx.stores[code]
        owner_users = [ctx.users[u] for u in owners]
        specs = []
        for i in range(count):
            digits = _phone(rng, i * 7919 + (1 if plate_prefix else 5) * 10_000_000)
            company = rng.random() < 0.12
            name = rng.choice(COMPANIES) if company else rng.choice(SURNAMES) + rng.choice(GIVEN)
            specs.append((digits, name, company, rng.random(), rng.choice(STREETS), rng.randint(1, 999), i))
        existing = set(CustomerPhone.objects.filter(customer__store=store).values_list("digits", flat=True))
        new_specs = [s for s in specs if s[0] not in existing]
        if not new_specs:
            continue
        customers = Customer.objects.bulk_create(
            Customer(
                store=store,
                kind=Customer.Kind.COMPANY if company else Customer.Kind.INDIVIDUAL,
                name=f"{name}{i:03d}" if company else name,
                contact_person=(rng.choice(SURNAMES) + "经理") if company else "",
                address=f"滨江市{street} {no} 号" if r > 0.05 else "",
                tier=Customer.Tier.KEY
                if company
                else (Customer.Tier.VIP if r > 0.85 else Customer.Tier.NORMAL),
                contact_consent=r > 0.03,
                preferred_channel=rng.choice(Customer.Channel.values),
                owner=owner_users[i % len(owner_users)],
                wishes=("希望周末取车" if plate_prefix else "希望新套餐短信通知") if r > 0.9 else "",
            )
            for digits, name, company, r, street, no, i in new_specs
        )
        phones, assets = [], []
        for customer, (digits, *_rest) in zip(customers, new_specs, strict=True):
            e164, normalised = phone_normalise(digits)
            phones.append(CustomerPhone(customer=customer, number=e164, digits=normalised, is_primary=True))
            if plate_prefix:
                model, vtype = rng.choice(CARS)
                delivered = today - dt.timedelta(days=rng.randint(200, 2000))
                assets.append(
                    Asset(
                        customer=customer,
                        kind=Asset.Kind.VEHICLE,
                        model_name=model,
                        plate=f"{plate_prefix}{rng.choice('BCDFGHK')}{rng.randint(10000, 99999)}",
                        vin=f"LSV{rng.randint(10**13, 10**14 - 1)}",
                        vehicle_type=vtype,
                        mileage_km=rng.randint(5000, 120000),
                        delivery_date=delivered,
                        maintenance_months=6,
                        maintenance_km=5000 if vtype != "专用车" else 10000,
                        warranty_months=36,
                    )
                )
            else:
                model, config = rng.choice(PRODUCTS)
                assets.append(
                    Asset(
                        customer=customer,
                        kind=Asset.Kind.PRODUCT,
                        model_name=model,
                        serial_number=f"SN{rng.randint(10**9, 10**10 - 1)}",
                        configuration=config,
                        delivery_date=today - dt.timedelta(days=rng.randint(10, 700)),
                        acceptance_record="客户签收，外观完好，功能测试通过",
                        packing_list="主机 ×1，电源适配器 ×1，说明书 ×1",
                        maintenance_months=12,
                        warranty_months=12,
                    )
                )
        for asset in assets:
            asset.warranty_ends_on = asset.compute_warranty_end()
        CustomerPhone.objects.bulk_create(phones)
        assets = Asset.objects.bulk_create(assets)
        visits, items = [], []
        for asset in assets:
            for k in range(rng.randint(1, 3)):
                days_ago = rng.randint(0, 400) if k else rng.randint(0, 60)
                work = rng.choice(WORK if plate_prefix else PRODUCT_WORK)
                visited = today - dt.timedelta(days=days_ago)
                visited_at = timezone.make_aware(
                    dt.datetime.combine(visited, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])))
                )
                complete = days_ago > 4 or rng.random() < 0.6
                amount = Decimal(rng.randint(80, 3000))
                visits.append(
                    Visit(
                        store=store,
                        customer=asset.customer,
                        asset=asset,
                        visited_on=visited,
                        visited_at=visited_at,
                        file_due_at=visited_at + dt.timedelta(hours=48),
                        work_done=work if complete else "",
                        amount=amount,
                        staff=rng.choice(owner_users),
                        mileage_km=asset.mileage_km,
                        file_completed_at=timezone.make_aware(dt.datetime.combine(visited, dt.time(17, 0)))
                        if complete and asset.customer.address
                        else None,
                    )
                )
            asset.last_service_date = max(v.visited_on for v in visits if v.asset is asset)
            asset.last_service_km = asset.mileage_km
            asset.next_due_date = asset.compute_next_due()
        Asset.objects.bulk_update(assets, ["last_service_date", "last_service_km", "next_due_date"])
        visits = Visit.objects.bulk_create(visits)
        for visit in visits:
            items.append(VisitItem(visit=visit, description=visit.work_done or "到店", amount=visit.amount))
        VisitItem.objects.bulk_create(items)
        # The two-day rule, as the beat job would have run it.
        Visit.objects.filter(
            store=store,
            file_completed_at__isnull=True,
            late_file_flagged_at__isnull=True,
            file_due_at__lte=timezone.now(),
        ).update(late_file_flagged_at=timezone.now())
        ctx.count(True)
