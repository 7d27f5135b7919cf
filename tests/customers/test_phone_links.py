"""A phone number is a link that a phone dials (tel:) only where the person may see it in full:
a masked number never carries its digits in a link; "Show in full" (logged) answers the number as a
tel: link for those who hold customers.view_pii."""

import pytest
from django.urls import reverse

from apps.customers.models import PiiAccessLog
from tests.factories import customers as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(store, clerk):
    return f.customer(store, name="拨号客户", phone="13800138000", owner=clerk)


def test_a_customer_page_shows_no_tel_link_before_show_in_full(client_for, aftersales, clerk, customer):
    """Neither after-sales (who may reveal) nor a clerk (who may not) gets the digits in a link."""
    for user in (aftersales, clerk):
        html = client_for(user).get(customer.get_absolute_url()).content.decode()
        assert "138****8000" in html
        assert "tel:" not in html and "13800138000" not in html


def test_show_in_full_answers_the_phone_as_a_tel_link_and_logs_it(client_for, aftersales, customer):
    phone = customer.phones.get()
    html = (
        client_for(aftersales)
        .post(reverse("customers:reveal", args=[customer.pk, "phone"]), {"phone": phone.pk})
        .content.decode()
    )
    assert 'href="tel:+8613800138000"' in html and 'data-testid="revealed"' in html
    assert PiiAccessLog.objects.filter(user=aftersales, customer=customer, field="phone").count() == 1


def test_an_id_number_shown_in_full_is_not_a_tel_link(client_for, aftersales, store):
    customer = f.customer(store, id_number="33010619900101123X")
    html = (
        client_for(aftersales)
        .post(reverse("customers:reveal", args=[customer.pk, "id_number"]))
        .content.decode()
    )
    assert "33010619900101123X" in html and "tel:" not in html


def test_a_clerk_cannot_get_the_tel_link_by_posting_show_in_full(client_for, clerk, customer):
    phone = customer.phones.get()
    response = client_for(clerk).post(
        reverse("customers:reveal", args=[customer.pk, "phone"]), {"phone": phone.pk}
    )
    assert response.status_code == 403
    assert b"tel:" not in response.content
    assert not PiiAccessLog.objects.exists()
