"""A notification is stored language-neutral (its English msgid and parameters) and each reader
sees it in their own language: the same row reads in Chinese for a Chinese user and in English
for an English one. Rows stored before keep showing the text they were sent with."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from apps.customers.services import visits_flag_late_files
from apps.notifications.messages import Message
from apps.notifications.models import Notification
from apps.notifications.services import notification_send, notifications_send_batch
from tests.factories import customers as f

pytestmark = pytest.mark.django_db

MSGID = gettext_noop("Overdue follow-up: %(customer)s")


def inbox_as(client, user, language: str) -> str:
    client.force_login(user)
    return client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_one_notification_reads_in_chinese_and_in_english(client, clerk):
    with translation.override("zh-hans"):  # sent while the sender's page was in Chinese
        notification_send(recipient=clerk, key="k", title=Message(MSGID, customer="刘先生"), url="/")
    row = Notification.objects.get()
    assert (row.title_msgid, row.title_params) == (MSGID, {"customer": "刘先生"})
    assert "Overdue follow-up: 刘先生" in inbox_as(client, clerk, "en")
    assert "回访逾期：刘先生" in inbox_as(client, clerk, "zh-hans")


def test_a_batch_stores_the_msgid_and_awkward_parameters_intact(client, clerk):
    awkward = '引号 "quoted" \\ {braces}, NULL'
    notifications_send_batch([{"recipient": clerk, "key": "b", "title": Message(MSGID, customer=awkward)}])
    row = Notification.objects.get()
    assert row.title_params == {"customer": awkward}
    with translation.override("en"):
        assert row.shown_title == f"Overdue follow-up: {awkward}"


def test_a_producer_stores_its_message_language_neutral(client, store, clerk, manager):
    """The two-day rule on customer files, run by the Chinese-speaking worker, notifies the owner
    and the manager; an English reader reads it in English."""
    customer = f.customer(store, owner=clerk, address="")
    f.visit(customer, asset=f.vehicle(customer), days_ago=3)
    with translation.override("zh-hans"):
        assert visits_flag_late_files() == 1
    body = inbox_as(client, manager, "en")
    assert "Customer file incomplete two days after the visit" in body
    assert "客户档案" not in body


def test_a_row_stored_before_keeps_its_text(client, clerk):
    Notification.objects.create(recipient=clerk, key="old", title="交班提醒：旧通知")
    assert "交班提醒：旧通知" in inbox_as(client, clerk, "en")
    assert str(Notification.objects.get()) == "交班提醒：旧通知"


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_english(clerk):
    """A broken stored row (a parameter missing) shows the msgid, not an error page."""
    row = Notification.objects.create(
        recipient=clerk, key="broken", title="x", title_msgid=MSGID, title_params={"wrong": 1}
    )
    assert row.shown_title == MSGID
