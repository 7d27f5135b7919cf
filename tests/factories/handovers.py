from apps.handovers.models import Counter, Section, StockItem


def counter(store, code="t1", name="1号台席") -> Counter:
    return Counter.objects.get_or_create(store=store, code=code, defaults={"name": name})[0]


def stock_items(organisation) -> dict[str, StockItem]:
    rows = [
        ("float", "备用金", Section.FLOAT, "元", "100,50,20,10"),
        ("takings-cash", "营业款（现金）", Section.TAKINGS, "元", ""),
        ("sim", "SIM 卡", Section.STOCK, "张", ""),
        ("invoice", "发票", Section.STOCK, "份", ""),
    ]
    out = {}
    for i, (code, name, section, unit, denoms) in enumerate(rows):
        out[code] = StockItem.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={"name": name, "section": section, "unit": unit, "denominations": denoms, "order": i},
        )[0]
    return out


def bank_items(organisation) -> dict[str, StockItem]:
    """A bank branch's handover items: tail-box cash by denomination, two kinds of blank voucher, keys."""
    from apps.org.models import StoreKind

    rows = [
        ("cash", "尾箱现金", Section.CASH, "元", "100,50,20,10"),
        ("voucher-passbook", "重要空白凭证（存折）", Section.VOUCHER, "本", ""),
        ("voucher-card", "重要空白凭证（借记卡）", Section.VOUCHER, "张", ""),
        ("keys", "尾箱钥匙", Section.STOCK, "把", ""),
    ]
    out = {}
    for i, (code, name, section, unit, denoms) in enumerate(rows):
        out[code] = StockItem.objects.get_or_create(
            organisation=organisation,
            store_kind=StoreKind.BANK_BRANCH,
            code=code,
            defaults={"name": name, "section": section, "unit": unit, "denominations": denoms, "order": i},
        )[0]
    return out
