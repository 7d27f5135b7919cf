import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.checklists.open_matters import open_matters_for
from apps.org.models import RoleTier
from apps.tickets.business_hours import add_business_days, add_business_hours, business_hours_between
from apps.tickets.escalating import tickets_escalate_due
from apps.tickets.models import AnswerPolicy, Holiday, Ticket, TicketEvent
from apps.tickets.selectors import complaints_answered_within, on_time_rate, output_value, same_day_answers
from apps.tickets.services import (
    added_item_add,
    added_item_confirm,
    customer_delay_add,
    customer_delay_confirm,
    ticket_answer_customer,
    ticket_hand_to_supervisor,
    ticket_settle,
    ticket_solution_found,
    ticket_transition,
)
from tests.factories import customers as cf
from tests.factories.org import member
from tests.factories.tickets import complaint, position, repair_order

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(*args):
    return timezone.make_aware(dt.datetime(*args), TZ)


@pytest.fixture
def customer(store, clerk):
    return cf.customer(store, owner=clerk)


def test_the_state_machine_rejects_invalid_moves_with_a_message(store, clerk, customer):
    t = complaint(store, customer, clerk)
    with pytest.raises(ValidationError) as exc:
        ticket_transition(ticket=t, to="closed", by=clerk)
    assert "新建" in str(exc.value) or "New" in str(exc.value)
    for state in ["in_progress", "waiting_parts", "in_progress", "resolved", "closed"]:
        t = ticket_transition(ticket=t, to=state, by=clerk)
    assert t.closed_at and t.resolved_at
    t = ticket_transition(ticket=t, to="in_progress", by=clerk)  # reopen
    assert t.closed_at is None
    assert TicketEvent.objects.filter(ticket=t, kind="state", data__reopened=True).count() == 1
    assert t.events.filter(kind="state").count() == 6


def test_ticket_numbers_are_sequential_per_store_kind_and_day(store, clerk, customer):
    a, b = complaint(store, customer, clerk), complaint(store, customer, clerk)
    assert a.number.startswith("TS") and int(b.number[-4:]) == int(a.number[-4:]) + 1


def test_an_added_item_without_re_confirmation_does_not_move_the_promise(store, clerk, customer):
    t = repair_order(store, customer, clerk)
    promised = t.promised_at
    item = added_item_add(
        ticket=t, description="更换轮胎", by=clerk, proposed_promised_at=promised + dt.timedelta(hours=3)
    )
    t.refresh_from_db()
    assert t.promised_at == promised
    # Settled after the original promise: late, the added item notwithstanding.
    t = ticket_settle(ticket=t, amount=Decimal("880"), by=clerk, settled_at=promised + dt.timedelta(hours=2))
    assert t.on_time is False
    assert not item.customer_confirmed_at


def test_a_re_confirmed_added_item_moves_the_promise(store, clerk, customer):
    t = repair_order(store, customer, clerk)
    new = t.promised_at + dt.timedelta(hours=3)
    item = added_item_add(ticket=t, description="更换轮胎", by=clerk, proposed_promised_at=new)
    with pytest.raises(ValidationError):
        added_item_confirm(item=item, by=clerk, customer_name="", channel="phone")
    added_item_confirm(item=item, by=clerk, customer_name="王先生", channel="phone", contact="13800000000")
    t.refresh_from_db()
    assert t.promised_at == new
    t = ticket_settle(ticket=t, amount=Decimal("880"), by=clerk, settled_at=new - dt.timedelta(minutes=5))
    assert t.on_time is True and t.state == "resolved"


def test_a_customer_caused_delay_counts_only_once_confirmed(store, clerk, customer):
    late = repair_order(store, customer, clerk)
    customer_delay_add(ticket=late, reason="客户推迟取车", hours=Decimal(5), by=clerk)
    late = ticket_settle(
        ticket=late, amount=Decimal(100), by=clerk, settled_at=late.promised_at + dt.timedelta(hours=2)
    )
    assert late.on_time is False

    ok = repair_order(store, customer, clerk)
    delay = customer_delay_add(ticket=ok, reason="客户推迟取车", hours=Decimal(5), by=clerk)
    customer_delay_confirm(delay=delay, by=clerk, customer_name="王先生", channel="signature")
    ok = ticket_settle(
        ticket=ok, amount=Decimal(100), by=clerk, settled_at=ok.promised_at + dt.timedelta(hours=2)
    )
    assert ok.on_time is True


def test_on_time_rate_and_output_value_per_store_person_and_month(store, store2, clerk, aftersales, manager2):
    c = cf.customer(store)
    c2 = cf.customer(store2)
    # Promised mid-month, so that every settlement falls in the month whatever the time of the run.
    month = timezone.localdate()
    noon_15th = timezone.make_aware(dt.datetime(month.year, month.month, 15, 12))
    for by, hours_late in [(clerk, -1), (clerk, -1), (clerk, 2), (aftersales, -1)]:
        t = repair_order(store, c, by, promised_at=noon_15th)
        ticket_settle(
            ticket=t, amount=Decimal(500), by=by, settled_at=t.promised_at + dt.timedelta(hours=hours_late)
        )
    t = repair_order(store2, c2, manager2, promised_at=noon_15th)
    ticket_settle(
        ticket=t, amount=Decimal(999), by=manager2, settled_at=t.promised_at + dt.timedelta(hours=5)
    )
    assert on_time_rate(stores=[store], month=month) == (3, 4)
    assert on_time_rate(stores=[store], month=month, user=clerk) == (2, 3)
    assert on_time_rate(stores=[store, store2], month=month) == (3, 5)
    assert on_time_rate(stores=[store], month=month - dt.timedelta(days=40)) == (0, 0)
    assert output_value(stores=[store], month=month) == Decimal(2000)
    assert output_value(stores=[store2], month=month, user=manager2) == Decimal(999)


def test_business_days_skip_nights_and_holidays(store):
    # 08:30–18:00 is 9.5 hours; two business days are 19 hours of opening time.
    Holiday.objects.create(date=dt.date(2025, 10, 4), name="国庆")
    due = add_business_days(store=store, start=at(2025, 10, 3, 17, 0), days=2)
    # 1 h on the 3rd, the 4th closed, 9.5 h on the 5th, 8.5 h on the 6th.
    assert due == at(2025, 10, 6, 17, 0)
    assert business_hours_between(store=store, start=at(2025, 10, 3, 17, 0), end=due) == pytest.approx(19)
    # Started at night: the clock starts when the store opens.
    assert add_business_days(store=store, start=at(2025, 10, 7, 22, 0), days=Decimal("0.5")) == at(
        2025, 10, 8, 13, 15
    )


def test_working_weekdays_can_exclude_weekends(store, settings):
    settings.TICKETS_WORKING_WEEKDAYS = [0, 1, 2, 3, 4]
    # Friday 17:00 + 2 business hours → Monday 09:30.
    assert add_business_hours(store=store, start=at(2025, 10, 10, 17, 0), hours=2) == at(2025, 10, 13, 9, 30)


@pytest.fixture
def reporting_line(organisation, store, clerk, manager):
    """营业员 (clerk) → 值班主管 (vacant) → 营业厅经理 (manager) → 区域经理 (area)."""
    area = member(store, RoleTier.MANAGER, "area", display_name="区域经理甲")
    top = position(organisation, "QY-01", "区域经理", holders=[(area, store)])
    hall = position(organisation, "YY-02", "营业厅经理", superiors=[top], holders=[(manager, store)])
    duty = position(organisation, "YY-03", "值班主管", superiors=[hall])
    position(organisation, "YY-04", "营业员", superiors=[duty], holders=[(clerk, store)])
    return area


def test_an_unanswered_complaint_escalates_up_two_levels_past_a_vacancy(
    store, clerk, manager, customer, reporting_line
):
    area = reporting_line
    t = complaint(store, customer, clerk)
    assert t.answer_due_at > timezone.now()
    # Not due yet: nothing happens.
    assert tickets_escalate_due(now=t.warn_at - dt.timedelta(minutes=1)) == {"warned": 0, "escalated": 0}
    # The warning comes before the breach, once.
    assert tickets_escalate_due(now=t.warn_at + dt.timedelta(minutes=1)) == {"warned": 1, "escalated": 0}
    assert tickets_escalate_due(now=t.warn_at + dt.timedelta(minutes=2)) == {"warned": 0, "escalated": 0}
    breach = t.answer_due_at + dt.timedelta(minutes=1)
    assert tickets_escalate_due(now=breach)["escalated"] == 1
    t.refresh_from_db()
    assert t.escalation_level == 1 and list(t.escalated_to.all()) == [manager]  # 值班主管 vacant: skipped
    assert tickets_escalate_due(now=breach)["escalated"] == 0  # idempotent
    second = t.next_escalation_at + dt.timedelta(minutes=1)
    tickets_escalate_due(now=second)
    t.refresh_from_db()
    assert t.escalation_level == 2 and set(t.escalated_to.all()) == {manager, area}
    assert list(t.events.filter(kind="escalated").values_list("key", flat=True)) == [
        "escalate:1",
        "escalate:2",
    ]
    # The manager sees it among their open matters at the handover.
    assert any(m.ref == f"ticket:{t.pk}" for m in open_matters_for(user=manager, store=store))
    # A warning before each breach reached the assignee, and each level its people, once each.
    from apps.notifications.models import Notification

    told = Notification.objects.filter(key__startswith="tickets:", key__contains=f":{t.pk}:")
    assert sorted(told.values_list("key", "recipient__username")) == [
        (f"tickets:escalate:{t.pk}:1", "manager"),
        (f"tickets:escalate:{t.pk}:2", "area"),
        (f"tickets:warn:{t.pk}:1", "clerk"),
        (f"tickets:warn:{t.pk}:2", "clerk"),
    ]


def test_an_answered_complaint_does_not_escalate(store, clerk, customer, reporting_line):
    t = complaint(store, customer, clerk)
    ticket_answer_customer(ticket=t, by=clerk, text="已向客户致歉并说明处理进度")
    assert tickets_escalate_due(now=t.answer_due_at + dt.timedelta(days=10)) == {"warned": 0, "escalated": 0}
    t.refresh_from_db()
    assert t.escalation_level == 0


def test_the_answer_window_is_configurable_per_kind_and_priority(store, clerk, customer):
    AnswerPolicy.objects.create(
        kind="complaint", priority="urgent", business_days=Decimal("0.5"), warn_hours=1
    )
    urgent = complaint(store, customer, clerk, priority="urgent")
    normal = complaint(store, customer, clerk)
    assert business_hours_between(
        store=store, start=urgent.created_at, end=urgent.answer_due_at
    ) == pytest.approx(4.75, abs=0.01)
    assert business_hours_between(
        store=store, start=normal.created_at, end=normal.answer_due_at
    ) == pytest.approx(19, abs=0.01)
    assert repair_order(store, customer, clerk).answer_due_at is None


def test_complaints_answered_within_the_deadline_and_the_same_day_rule(store, clerk, customer):
    month = timezone.localdate()
    answered = complaint(store, customer, clerk)
    ticket_answer_customer(ticket=answered, by=clerk, text="已答复")
    late = complaint(store, customer, clerk)
    ticket_answer_customer(
        ticket=late, by=clerk, text="已答复", at=late.answer_due_at + dt.timedelta(hours=1)
    )
    complaint(store, customer, clerk)  # not answered yet
    assert complaints_answered_within(stores=[store], month=month) == (1, 3)

    found = timezone.make_aware(dt.datetime.combine(month, dt.time(10, 0)), TZ)
    ticket_solution_found(ticket=answered, by=clerk, text="更换配件", at=found)
    ticket_answer_customer(
        ticket=answered, by=clerk, text="已告知客户方案", at=found + dt.timedelta(minutes=30)
    )
    ticket_solution_found(ticket=late, by=clerk, text="退款", at=found)
    ticket_answer_customer(ticket=late, by=clerk, text="已告知", at=found + dt.timedelta(days=1))
    assert same_day_answers(stores=[store], month=month) == (1, 2)
    assert answered.events.filter(kind="answered", data__same_day=True).exists()


def test_a_clerk_hands_a_matter_to_the_supervisor(store, clerk, manager, customer):
    t = complaint(store, customer, clerk)
    t = ticket_hand_to_supervisor(ticket=t, by=clerk, note="需要经理审批退款")
    assert t.assignee == manager and t.state == "in_progress"
    assert t.events.filter(kind="assigned", text="需要经理审批退款").exists()
    assert [m.ref for m in open_matters_for(user=manager, store=store)] == [f"ticket:{t.pk}"]
    assert open_matters_for(user=clerk, store=store) == []


def test_open_tickets_appear_in_the_clerks_handover(store, clerk, customer):
    t = complaint(store, customer, clerk)
    done = complaint(store, customer, clerk)
    ticket_transition(ticket=done, to="resolved", by=clerk)
    matters = open_matters_for(user=clerk, store=store)
    assert [m.ref for m in matters] == [f"ticket:{t.pk}"]
    assert matters[0].url == f"/tickets/{t.pk}/"


def test_a_ticket_cannot_name_another_stores_customer(store, store2, clerk):
    other = cf.customer(store2)
    with pytest.raises(ValidationError):
        complaint(store, other, clerk)
    assert not Ticket.objects.exists()
