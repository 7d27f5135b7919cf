import datetime as dt
from decimal import Decimal

import factory

from apps.checklists.models import (
    ChecklistTemplate,
    FailureAction,
    ItemKind,
    Phase,
    TemplateItem,
)
from apps.roles.models import Position, PositionHolder


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-CL-{n:03d}")
    title = "营业员"


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    name = factory.Sequence(lambda n: f"班前准备{n}")
    phase = Phase.OPENING
    due_time = dt.time(9, 0)


def hold(position, user, store):
    return PositionHolder.objects.get_or_create(position=position, user=user, store=store)[0]


def opening_template(store, *, position=None, holders=(), name=None, **kwargs) -> ChecklistTemplate:
    """A 班前准备 template with one item of each kind; holders hold its position in the store."""
    position = position or PositionFactory(organisation=store.organisation)
    template = TemplateFactory(
        organisation=store.organisation, position=position, **({"name": name} if name else {}), **kwargs
    )
    template.stores.add(store)
    items = [
        {"text": "发票、客户资料准备齐全", "kind": ItemKind.TICK, "on_fail": FailureAction.MATTER},
        {
            "text": "找零备用金金额",
            "kind": ItemKind.NUMBER,
            "min_value": Decimal("1900"),
            "max_value": Decimal("2100"),
        },
        {"text": "展示手机数量", "kind": ItemKind.COUNT, "expected_count": 12},
        {
            "text": "自助设备状态",
            "kind": ItemKind.CHOICE,
            "choices": "正常|异常",
            "fail_choices": "异常",
            "on_fail": FailureAction.BLOCK,
        },
        {"text": "当班备注", "kind": ItemKind.TEXT, "required": False},
        {"text": "营业厅环境照片", "kind": ItemKind.PHOTO, "required": False},
        {"text": "双人封箱", "kind": ItemKind.SECOND_PERSON, "required": False},
    ]
    for i, data in enumerate(items, start=1):
        TemplateItem.objects.create(template=template, order=i * 10, **data)
    for user in holders:
        hold(position, user, store)
    return template


def item(template, kind) -> TemplateItem:
    return template.items.get(kind=kind)
