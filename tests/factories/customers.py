import datetime as dt
import itertools

from apps.customers.services import asset_create, customer_create, visit_create

_n = itertools.count(1)


def customer(store, *, name=None, phone=None, owner=None, **fields):
    """A customer with one mobile phone (13900xxxxxx unless given) and an address."""
    n = next(_n)
    fields.setdefault("address", f"滨江市东环路 {n} 号")
    fields.setdefault("wishes", "按期保养提醒")
    return customer_create(
        store=store,
        name=name or f"客户{n}",
        by=owner,
        owner=owner,
        phones=[(phone or f"1390000{n:04d}", "")],
        **fields,
    )


def vehicle(customer, *, plate=None, **fields):
    n = next(_n)
    fields.setdefault("maintenance_months", 6)
    fields.setdefault("maintenance_km", 5000)
    fields.setdefault("delivery_date", dt.date(2024, 1, 15))
    fields.setdefault("vehicle_type", "小型轿车")
    return asset_create(customer=customer, model_name="帕萨特", plate=plate or f"浙A{n:05d}", **fields)


def product(customer, *, serial=None, **fields):
    n = next(_n)
    fields.setdefault("delivery_date", dt.date(2024, 3, 1))
    return asset_create(
        customer=customer,
        kind="product",
        model_name="空压机 KY-30",
        serial_number=serial or f"SN{n:06d}",
        **fields,
    )


def visit(customer, *, asset=None, days_ago=0, work_done="常规保养", **kwargs):
    return visit_create(
        customer=customer,
        asset=asset,
        visited_on=dt.date.today() - dt.timedelta(days=days_ago),
        work_done=work_done,
        **kwargs,
    )
