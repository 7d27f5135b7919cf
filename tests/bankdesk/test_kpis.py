"""The bank's KPIs come from its own records: tail-box lines with a difference (柜面差错率), boxes
sealed matching the book (尾箱日终账实相符率), days a voucher was over its limit (重要单证超限次数),
large / suspicious transactions reported by their deadline (大额可疑交易报告及时率). No target in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bankdesk import box_services
from apps.bankdesk.models import OverLimit, ReportKind, TransactionReport
from apps.targets import kpis
from tests.factories.org import web_request

pytestmark = pytest.mark.django_db

BANK_KEYS = [
    "bank.counter_error_rate",
    "bank.tail_box_match_rate",
    "bank.voucher_over_limit",
    "bank.large_report_on_time",
]


def _kpi(key: str) -> kpis.KpiEntry:
    entry = kpis.get_kpi(key)
    assert entry is not None, key
    return entry


def _month():
    return timezone.localdate().replace(day=1)


def _check(box, teller, second, *, cards_off=0):
    check = box_services.tail_box_check_start(by=teller, box=box)
    counts = {}
    for line in check.lines.select_related("item"):
        entry: dict = {"counted": line.expected}
        if line.item.denominations:
            entry["breakdown"] = {"100": int(line.expected // 100)}
        if line.item.code == "voucher-card" and cards_off:
            entry = {"counted": line.expected - cards_off, "explanation": "作废"}
        counts[line.pk] = entry
    box_services.tail_box_count_save(by=teller, check=check, counts=counts)
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password="demo1234", seal_number="F"
    )
    if second is not None:
        box_services.tail_box_seal(
            request=web_request(), check=check, second_id=second.pk, password="demo1234"
        )
    return check


def test_the_bank_kpis_are_in_the_catalogue_without_a_target_in_code():
    for key in BANK_KEYS:
        entry = kpis.get_kpi(key)
        assert entry is not None, key
        assert not hasattr(entry, "target"), key  # targets are data (targets.KindKpi), per store kind


def test_tail_box_figures_count_differences_and_boxes_sealed_matching(
    branch, box, box2, teller, teller2, lobby
):
    _check(box, teller, lobby)
    _check(box2, teller2, None, cards_off=1)
    month = _month()
    match = _kpi("bank.tail_box_match_rate").compute([branch], None, month)
    assert (match.numerator, match.denominator, match.value) == (1, 2, Decimal("50.00"))
    errors = _kpi("bank.counter_error_rate").compute([branch], None, month)
    # 4 lines in each box, one of them off.
    assert (errors.numerator, errors.denominator, errors.value) == (1, 8, Decimal("12.50"))
    assert [c.box.number for c in errors.records or []] == ["W02"]
    mine = _kpi("bank.tail_box_match_rate").compute([branch], teller, month)
    assert mine.value == Decimal("100.00")


def test_voucher_over_limit_counts_voucher_days_not_cash(branch, box, supervisor, bitems):
    box_services.branch_limit_set(by=supervisor, store=branch, item=bitems["voucher-card"], limit=Decimal(5))
    box_services.branch_limit_set(by=supervisor, store=branch, item=bitems["cash"], limit=Decimal(5))
    assert OverLimit.objects.count() == 2
    value = _kpi("bank.voucher_over_limit").compute([branch], None, _month())
    assert value.value == 1


def test_reports_on_time_count_those_due_in_the_month(branch, teller, supervisor):
    today = timezone.localdate()
    month = _month()
    base = {"store": branch, "kind": ReportKind.LARGE, "account_name": "甲", "amount": 1, "description": "x"}
    on_time = TransactionReport.objects.create(**base, occurred_on=month, due_on=month, recorded_by=teller)
    TransactionReport.objects.filter(pk=on_time.pk).update(
        reported_at=timezone.make_aware(dt.datetime.combine(month, dt.time(9))), reported_by=supervisor
    )
    if today > month:  # a report past its deadline and never made counts as late
        TransactionReport.objects.create(**base, occurred_on=month, due_on=month, recorded_by=teller)
    value = _kpi("bank.large_report_on_time").compute([branch], None, month)
    assert value.numerator == 1
    assert value.denominator == (2 if today > month else 1)


def test_each_bank_kpi_counted_for_all_branches_at_once_equals_its_figure_per_branch(
    branch, branch2, box, box2, teller, teller2, lobby
):
    _check(box, teller, lobby)
    _check(box2, teller2, None, cards_off=2)
    for key in BANK_KEYS:
        entry = _kpi(key)
        together = entry.compute_by_store([branch, branch2], _month())
        for s in (branch, branch2):
            alone = entry.compute([s], None, _month())
            got = together[s.pk]
            assert (got.numerator, got.denominator, got.value) == (
                alone.numerator,
                alone.denominator,
                alone.value,
            )
