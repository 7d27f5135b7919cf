"""Words a new user tripped over, read in Chinese: one English msgid may need two translations,
so these carry a context (pgettext) and no other app's catalogue can take them over."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_ticket_list_labels_its_title_column_as_a_title_not_a_position(client_for, manager):
    body = client_for(manager).get(reverse("tickets:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<th>标题</th>" in body and "岗位名称" not in body


def test_a_position_keeps_its_title_wording(client_for, admin):
    body = client_for(admin).get(reverse("roles:create"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "岗位名称" in body


def test_pagination_reads_previous_and_next_page():
    page = Paginator(list(range(30)), 10).get_page(2)
    with translation.override("zh-hans"):
        html = render_to_string(
            "includes/pagination.html", {"page": page, "request": RequestFactory().get("/")}
        )
    assert "下一页" in html and "上一页" in html and "下一次" not in html


def test_the_reminders_open_button_is_an_action(clerk):
    note = Notification.objects.create(recipient=clerk, key="k", title="交班提醒", url="/")
    with translation.override("zh-hans"):
        html = render_to_string("checklists/_notifications.html", {"notifications": [note]})
    assert ">打开</button>" in html and "待处理" not in html
