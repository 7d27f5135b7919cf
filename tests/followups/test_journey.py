"""After-sales staff open the queue, call, log a complaint that becomes a ticket; the manager sees the alert."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.followups.reminders import followups_tick
from apps.tickets.models import Ticket
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.followups import make_customer, make_followup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_complaint_in_a_call_becomes_a_ticket_and_reaches_the_manager(
    page, rules, store, aftersales, manager
):
    customer = make_customer(store, name="王建华", owner=aftersales)
    make_followup(
        rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - dt.timedelta(days=3)
    )
    sign_in(page, "aftersales")
    page.goto("/followups/")
    page.wait_for_selector("text=王建华")
    assert "询问用车情况" in page.inner_text("[data-testid=queue-table]")
    page.click("[data-testid=open-followup]")
    page.wait_for_selector("[data-testid=attempt-form]")
    page.check("input[name=result][value=reached]")
    page.select_option("select[name=satisfaction]", "2")
    page.fill("textarea[name=outcome]", "客户反映维修后仍有异响")
    page.fill("textarea[name=complaint]", "维修后仍有异响，要求返修")
    screenshot(page, "followups-call")
    page.click("[data-testid=log-attempt]")
    page.wait_for_selector("text=已开工单")
    ticket = Ticket.objects.get(kind=Ticket.Kind.COMPLAINT)
    assert ticket.number in page.inner_text("main")
    followups_tick()  # the beat job's minute
    sign_out(page)
    sign_in(page, "manager")
    page.goto("/")
    page.wait_for_selector("[data-testid=bell-count]")
    page.click("[data-testid=bell]")
    page.wait_for_selector(f"text={ticket.number}")
    screenshot(page, "followups-manager-alert")
