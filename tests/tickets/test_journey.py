"""A clerk opens a complaint, cannot finish it and hands it to the supervisor; the supervisor answers
the customer; the customer's file shows it all on the timeline."""

import pytest

from apps.tickets.models import Ticket
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories import customers as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_complaint_handed_to_the_supervisor_is_answered_and_shows_on_the_timeline(
    page, store, clerk, manager
):
    customer = cf.customer(store, name="王建国", phone="13800138000", owner=clerk)

    sign_in(page, "clerk")
    page.goto(f"/customers/{customer.pk}/")
    assert "138****8000" in page.inner_text("body")
    page.click("[data-testid=new-ticket]")
    page.select_option("select[name=kind]", "complaint")
    page.fill("input[name=title]", "维修后异响未排除")
    page.fill("textarea[name=description]", "客户称更换刹车片后仍有异响，要求退款")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=ticket-state]")
    page.fill("form[action$='/do/hand_over/'] input[name=note]", "涉及退款，需经理审批")
    page.click("[data-testid=do-hand_over]")
    page.wait_for_selector("[data-testid=assignee]:has-text('王芳')")
    screenshot(page, "tickets-handed-to-supervisor")
    sign_out(page)

    sign_in(page, "manager")
    page.click("[data-testid=my-tickets-panel] a:has-text('TS')")
    page.fill("form[action$='/do/answer/'] textarea[name=text]", "已致电客户：免费复检并更换刹车片")
    page.click("[data-testid=do-answer]")
    page.wait_for_selector("[data-testid=ticket-history] :text('已致电客户')")

    ticket = Ticket.objects.get()
    assert ticket.assignee == manager and ticket.answered_at is not None

    page.goto(f"/customers/{customer.pk}/")
    timeline = page.inner_text("[data-testid=timeline]")
    assert "维修后异响未排除" in timeline
    assert "已答复客户" in timeline and "已致电客户" in timeline
    assert "涉及退款，需经理审批" in timeline
    screenshot(page, "customers-timeline-with-answer")
