"""Staff phone numbers (not masked: the staff list is for admins) are links a phone dials."""

import pytest
from django.template import Context, Template

from apps.org.templatetags.phone_links import tel_uri

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("13800000001", "tel:13800000001"),
        ("+86 138-0000-0001", "tel:+8613800000001"),
        ("(0571) 8800 1000", "tel:057188001000"),
        ("", ""),
        (None, ""),
        ("无", ""),
    ],
)
def test_tel_uri_keeps_only_what_is_dialled(number, uri):
    assert tel_uri(number) == uri


def test_tel_link_escapes_the_number_it_shows():
    html = Template("{% load phone_links %}{% tel_link n %}").render(Context({"n": '138<b>"1'}))
    assert html == '<a href="tel:1381">138&lt;b&gt;&quot;1</a>'


def test_the_staff_list_links_each_phone_for_dialling(client_for, admin, clerk):
    clerk.phone = "13800000003"
    clerk.save()
    html = client_for(admin).get("/org/staff/").content.decode()
    assert '<a href="tel:13800000003">13800000003</a>' in html


def test_a_clerk_does_not_reach_the_staff_list(client_for, clerk):
    assert client_for(clerk).get("/org/staff/").status_code == 403
