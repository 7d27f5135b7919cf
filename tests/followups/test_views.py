"""The queue and its pages: who may see and do what, and query counts that do not grow."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.followups.models import Campaign, FollowUp, FollowUpRule
from apps.followups.reminders import reminders_dispatch
from apps.notifications.models import Notification
from apps.tickets.models import Ticket
from tests.factories.followups import make_customer, make_followup

pytestmark = pytest.mark.django_db
D = dt.timedelta
QUEUE = reverse("followups:list")


@pytest.fixture
def fu(rules, customer):
    # Window opened yesterday: its reminder is due now at any time of day (see test_reminders.fu).
    return make_followup(rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - D(days=4))


@pytest.fixture
def fu2(rules, store2, manager2):
    return make_followup(rules["first-call-pickup"], make_customer(store2), trigger_date=timezone.localdate())


def test_after_sales_staff_see_their_queue_with_reason_and_talking_points(client_for, aftersales, fu):
    response = client_for(aftersales).get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "王先生" in body and fu.rule.name in body and "询问用车情况" in body


def test_a_clerk_may_not_open_the_queue(client_for, clerk, fu):
    assert client_for(clerk).get(QUEUE).status_code == 403
    assert client_for(clerk).get(fu.get_absolute_url()).status_code == 403


def test_another_stores_follow_up_answers_404(client_for, aftersales, manager2, fu, fu2):
    assert client_for(aftersales).get(fu2.get_absolute_url()).status_code == 404
    assert client_for(manager2).get(fu.get_absolute_url()).status_code == 404
    response = client_for(manager2).post(reverse("followups:attempt", args=[fu.pk]), {"result": "no_answer"})
    assert response.status_code == 404


def test_a_manager_sees_the_whole_stores_queue_but_not_other_stores(client_for, manager, fu, fu2):
    body = client_for(manager).get(QUEUE + "?scope=all").content.decode()
    assert "王先生" in body and fu2.customer.name not in body


def test_sections_today_overdue_upcoming(client_for, aftersales, rules, customer):
    today = timezone.localdate()
    make_followup(
        rules["new-product"],
        make_customer(customer.store, name="今天到期", owner=aftersales),
        trigger_date=today,
    )
    make_followup(
        rules["first-call-pickup"],
        make_customer(customer.store, name="已经逾期", owner=aftersales),
        trigger_date=today - D(days=9),
    )
    make_followup(
        rules["first-call-pickup"],
        make_customer(customer.store, name="以后再打", owner=aftersales),
        trigger_date=today,
    )
    client = client_for(aftersales)
    assert "今天到期" in client.get(QUEUE).content.decode()
    overdue = client.get(QUEUE + "?section=overdue").content.decode()
    assert "已经逾期" in overdue and "今天到期" not in overdue
    upcoming = client.get(QUEUE + "?section=upcoming").content.decode()
    assert "以后再打" in upcoming and "已经逾期" not in upcoming


def _queue_queries(client, django_assert_num_queries, n):
    with django_assert_num_queries(n):
        assert client.get(QUEUE + "?scope=all").status_code == 200


def test_queue_query_count_does_not_grow(
    client_for, manager, aftersales, rules, store, django_assert_num_queries
):
    client = client_for(manager)
    for _ in range(3):
        make_followup(rules["new-product"], make_customer(store, owner=aftersales))
    client.get(QUEUE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(QUEUE + "?scope=all")
    for _ in range(20):
        make_followup(rules["new-product"], make_customer(store, owner=aftersales))
    _queue_queries(client, django_assert_num_queries, len(small.captured_queries))


def test_detail_shows_the_timeline_and_survey(client_for, aftersales, rules, customer):
    from tests.factories.followups import make_ticket

    make_ticket(customer, created_by=aftersales, closed_on=timezone.localdate() - D(days=1))
    fu = make_followup(rules["new-product"], customer)
    body = client_for(aftersales).get(fu.get_absolute_url()).content.decode()
    assert "产品使用情况征询意见表" in body and "服务态度" in body
    assert "工单" in body  # the ticket is on the timeline


def test_logging_a_complaint_makes_a_ticket_and_the_manager_sees_the_alert(
    client_for, aftersales, manager, fu
):
    response = client_for(aftersales).post(
        reverse("followups:attempt", args=[fu.pk]),
        {"result": "reached", "satisfaction": "2", "complaint": "维修后仍有异响", "outcome": "客户不满意"},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(kind=Ticket.Kind.COMPLAINT)
    assert ticket.source == f"followup:{fu.pk}" and "维修后仍有异响" in ticket.title
    reminders_dispatch()
    assert Notification.objects.filter(recipient=manager, body__contains=ticket.number).exists()
    inbox = client_for(manager).get(reverse("notifications:inbox")).content.decode()
    assert ticket.number in inbox


def test_a_bad_attempt_keeps_what_was_typed(client_for, aftersales, fu):
    response = client_for(aftersales).post(
        reverse("followups:attempt", args=[fu.pk]), {"result": "call_back", "outcome": "客户在开会"}
    )
    assert response.status_code == 400
    assert "客户在开会" in response.content.decode()
    fu.refresh_from_db()
    assert fu.attempts == 0


def test_reached_needs_a_score(client_for, aftersales, fu):
    response = client_for(aftersales).post(reverse("followups:attempt", args=[fu.pk]), {"result": "reached"})
    assert response.status_code == 400


def test_snooze_from_the_page(client_for, aftersales, fu):
    until = timezone.localdate() + D(days=1)
    response = client_for(aftersales).post(
        reverse("followups:snooze", args=[fu.pk]), {"until": until.isoformat(), "reason": "客户出差"}
    )
    assert response.status_code == 302
    fu.refresh_from_db()
    assert fu.snoozed_until == until


def test_only_managers_reassign_and_bulk_assign(client_for, aftersales, manager, store, fu):
    from tests.factories.org import member

    other = member(store, "aftersales", "other_tracker")
    url = reverse("followups:assign", args=[fu.pk])
    assert client_for(aftersales).post(url, {"assignee": other.pk}).status_code == 403
    assert (
        client_for(aftersales)
        .post(reverse("followups:bulk_assign"), {"ids": [fu.pk], "assignee": other.pk})
        .status_code
        == 403
    )
    client = client_for(manager)
    client.post(reverse("followups:bulk_assign"), {"ids": [fu.pk], "assignee": other.pk})
    fu.refresh_from_db()
    assert fu.assignee == other


def test_bulk_assign_ignores_other_stores_follow_ups(client_for, manager, aftersales, fu, fu2):
    client_for(manager).post(
        reverse("followups:bulk_assign"), {"ids": [fu.pk, fu2.pk], "assignee": aftersales.pk}
    )
    fu2.refresh_from_db()
    assert fu2.assignee != aftersales


def test_rules_are_edited_by_admins_only(client_for, admin, manager, rules):
    assert client_for(manager).get(reverse("followups:rules")).status_code == 403
    client = client_for(admin)
    assert "接车出厂后首次跟踪服务" in client.get(reverse("followups:rules")).content.decode()
    rule = rules["new-product"]
    response = client.post(
        reverse("followups:rule_edit", args=[rule.pk]),
        {
            "code": rule.code,
            "name": "新产品回访（改）",
            "is_active": "on",
            "trigger": rule.trigger,
            "asset_kind": "product",
            "window_start_days": 0,
            "window_end_days": 9,
            "grace_days": 3,
            "period_months": 6,
            "channel": "phone",
            "assignee_policy": "owner",
            "priority": 2,
            "talking_points": "x",
            "survey_items_text": "质量\n是否准时交车\n按时到场 | 是/否",
            "retry_text": "1, 4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.window_end_days == 9 and rule.retry_hours == [1, 4]
    assert rule.survey_items == [
        {"text": "质量", "kind": "score"},
        {"text": "是否准时交车", "kind": "yes_no"},
        {"text": "按时到场", "kind": "yes_no"},
    ]


def test_a_rule_window_that_closes_before_it_opens_is_refused(client_for, admin, rules):
    response = client_for(admin).post(
        reverse("followups:rule_new"),
        {
            "code": "bad",
            "name": "坏规则",
            "trigger": "delivered",
            "window_start_days": 5,
            "window_end_days": 1,
            "grace_days": 3,
            "period_months": 6,
            "channel": "phone",
            "assignee_policy": "owner",
            "priority": 2,
        },
    )
    assert response.status_code == 400 and "坏规则" in response.content.decode()
    assert not FollowUpRule.objects.filter(code="bad").exists()


def test_inbox_bell_and_mark_read(client_for, aftersales, fu):
    reminders_dispatch()
    client = client_for(aftersales)
    assert 'data-testid="bell-count">1<' in client.get(reverse("notifications:bell")).content.decode()
    note = Notification.objects.get()
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == fu.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert "bell-count" not in client.get(reverse("notifications:bell")).content.decode()


def test_the_old_inbox_address_leads_to_the_shared_inbox(client_for, aftersales):
    response = client_for(aftersales).get(reverse("followups:inbox"))
    assert response.status_code == 301 and response.url == reverse("notifications:inbox")


def test_someone_elses_notification_is_404(client_for, manager, aftersales, fu):
    reminders_dispatch()
    note = Notification.objects.get(recipient=aftersales)
    assert client_for(manager).post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_home_panel_shows_counts_and_kpis(client_for, aftersales, fu):
    body = client_for(aftersales).get("/").content.decode()
    assert 'data-testid="followups-panel"' in body and 'data-testid="followups-kpis"' in body


CAMPAIGN_NEW = reverse("followups:campaign_new")


def _campaign_data(store, **extra):
    return {
        "store": store.pk,
        "name": "免费检测周",
        "kind": "free_check",
        "event_date": (timezone.localdate() + D(days=20)).isoformat(),
        "venue": "本站",
        "create": "1",
        **extra,
    }


def test_campaign_create_preview_and_letters_pdf(
    client_for, manager, aftersales, rules, store, store2, django_capture_on_commit_callbacks
):
    from apps.printing.models import PrintJob
    from tests.pdf_checks import assert_cjk_font_embedded, page_count, pdf_text

    for name in ("赵一", "钱二"):
        make_customer(store, name=name, owner=aftersales)
    make_customer(store, name="周不扰", contact_consent=False)  # no consent: never invited
    make_customer(store2, name="吴外店")  # another store: never invited
    client = client_for(manager)
    preview = client.get(CAMPAIGN_NEW)
    body = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="campaign-preview"' in body
    assert "赵一" in body and "钱二" in body and "周不扰" not in body and "吴外店" not in body
    assert preview.context["page"].paginator.count == 2
    response = client.post(CAMPAIGN_NEW, _campaign_data(store))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.followups.count() == 2
    assert set(campaign.followups.values_list("customer__name", flat=True)) == {"赵一", "钱二"}
    # the calls are made; the letters follow
    from apps.followups.services import followup_log_attempt

    for call in campaign.followups.filter(channel="phone"):
        assert call.window_start == campaign.event_date - D(days=14)
        followup_log_attempt(followup=call, by=aftersales, result="reached", satisfaction=5)
    letters = campaign.followups.filter(channel="letter")
    assert letters.count() == 2
    today = timezone.localdate()
    assert {(letter.window_start, letter.window_end) for letter in letters} == {(today, today + D(days=2))}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followups:campaign_letters", args=[campaign.pk]))
    job = PrintJob.objects.get()
    assert response.status_code == 302 and job.state == PrintJob.State.DONE, job.error
    pdf = bytes(job.pdf)
    assert page_count(pdf) == 2
    text = pdf_text(pdf).replace(" ", "")
    assert "赵一" in text and "钱二" in text and "人民路" in text
    assert_cjk_font_embedded(pdf)
    client.post(reverse("followups:campaign_letters_sent", args=[campaign.pk]))
    assert not campaign.followups.filter(channel="letter", state__in=FollowUp.ACTIVE).exists()


def test_the_customer_filters_narrow_the_campaign(client_for, manager, rules, store):
    make_customer(store, name="赵一", tier="vip")
    make_customer(store, name="钱二", tier="normal")
    make_customer(store, name="孙三", tier="vip")
    client = client_for(manager)
    body = client.get(CAMPAIGN_NEW + "?tier=vip").content.decode()
    assert "赵一" in body and "孙三" in body and "钱二" not in body
    # the campaign form posts back with the filter's query string
    assert 'action="?tier=vip"' in body
    response = client.post(CAMPAIGN_NEW + "?tier=vip", _campaign_data(store))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.criteria == {"tier": "vip"}
    assert set(campaign.followups.values_list("customer__name", flat=True)) == {"赵一", "孙三"}
    # the search box of the customer list (name, phone, plate ...) narrows it too
    response = client.post(CAMPAIGN_NEW + "?tier=vip&q=孙", _campaign_data(store, name="联谊会"))
    campaign = Campaign.objects.get(name="联谊会")
    assert campaign.criteria == {"tier": "vip", "q": "孙"}
    assert list(campaign.followups.values_list("customer__name", flat=True)) == ["孙三"]


def test_a_bad_customer_filter_creates_nothing(client_for, manager, rules, store, store2):
    make_customer(store, name="赵一")
    client = client_for(manager)
    preview = client.get(CAMPAIGN_NEW + "?tier=nonsense")
    assert preview.status_code == 200 and preview.context["page"].paginator.count == 0
    response = client.post(CAMPAIGN_NEW + "?tier=nonsense", _campaign_data(store))
    assert response.status_code == 400 and not Campaign.objects.exists()
    assert response.context["form"].data["name"] == "免费检测周"  # what was typed is kept
    # another store's customers cannot be picked: the filter refuses that store
    response = client.post(CAMPAIGN_NEW + f"?store={store2.pk}", _campaign_data(store))
    assert response.status_code == 400 and not Campaign.objects.exists()
    # nor can the campaign be made for another store
    response = client.post(CAMPAIGN_NEW, _campaign_data(store2))
    assert response.status_code == 400 and not Campaign.objects.exists()


def test_an_admin_picks_one_store_of_several(client_for, admin, rules, store, store2):
    make_customer(store, name="赵一")
    make_customer(store2, name="钱二")
    client = client_for(admin)
    body = client.get(CAMPAIGN_NEW).content.decode()
    assert "赵一" in body and "钱二" in body
    # the filter's store and the campaign's store must agree
    response = client.post(CAMPAIGN_NEW + f"?store={store2.pk}", _campaign_data(store))
    assert response.status_code == 400 and not Campaign.objects.exists()
    response = client.post(CAMPAIGN_NEW + f"?store={store2.pk}", _campaign_data(store2))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.store == store2
    assert list(campaign.followups.values_list("customer__name", flat=True)) == ["钱二"]
    # with no store filter only the campaign's store's customers are invited
    client.post(CAMPAIGN_NEW, _campaign_data(store, name="联谊会"))
    campaign = Campaign.objects.get(name="联谊会")
    assert list(campaign.followups.values_list("customer__name", flat=True)) == ["赵一"]


def test_campaign_preview_query_count_does_not_grow(
    client_for, manager, aftersales, rules, store, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager)
    for _ in range(3):
        make_customer(store, owner=aftersales, tier="vip")
    client.get(CAMPAIGN_NEW)
    with CaptureQueriesContext(connection) as small:
        assert client.get(CAMPAIGN_NEW + "?tier=vip").status_code == 200
    for _ in range(30):
        make_customer(store, owner=aftersales, tier="vip")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(CAMPAIGN_NEW + "?tier=vip")
    assert response.context["page"].paginator.count == 33


def test_campaigns_are_for_managers(client_for, aftersales, manager2, rules, store, manager):
    assert client_for(aftersales).get(reverse("followups:campaign_new")).status_code == 403
    campaign = Campaign.objects.create(
        store=store, name="联谊会", event_date=timezone.localdate(), created_by=manager
    )
    assert client_for(manager2).get(campaign.get_absolute_url()).status_code == 404


def test_the_call_page_shows_phones_masked_and_reveals_them_only_through_the_logged_action(
    client_for, aftersales, fu
):
    """Even after-sales staff (customers.view_pii) see the number masked until they use "Show in
    full", which writes the personal-data access log."""
    from apps.customers.models import PiiAccessLog
    from apps.customers.phones import mask_digits

    phone = fu.customer.phones.first()
    client = client_for(aftersales)
    html = client.get(fu.get_absolute_url()).content.decode()
    assert mask_digits(phone.digits) in html and phone.digits not in html
    assert 'data-testid="reveal-phone"' in html
    assert not PiiAccessLog.objects.exists()
    revealed = client.post(
        reverse("customers:reveal", args=[fu.customer_id, "phone"]), {"phone": phone.pk}
    ).content.decode()
    assert phone.number in revealed
    assert PiiAccessLog.objects.filter(user=aftersales, customer=fu.customer, field="phone").count() == 1


def test_the_calls_confirmation_links_the_ticket_it_opened(client_for, aftersales, fu):
    """The ticket number in "Call logged. Ticket opened: …" is a link to the ticket, escaped."""
    response = client_for(aftersales).post(
        reverse("followups:attempt", args=[fu.pk]),
        {"result": "reached", "satisfaction": "2", "complaint": "<b>异响</b>", "outcome": "客户不满意"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    ticket = Ticket.objects.get(kind=Ticket.Kind.COMPLAINT)
    body = response.content.decode()
    assert f'href="{ticket.get_absolute_url()}"' in body
    assert f'data-testid="opened-ticket">{ticket.number}</a>' in body
    assert "Ticket opened:" in body and "<b>异响</b>" not in body
