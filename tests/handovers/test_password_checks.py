"""Every password typed into a handover page goes through the sign-in lockout, and the witness is
picked among the eligible staff of the store."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.handovers import services
from apps.handovers.models import HandoverState
from apps.org.passwords import PASSWORD_REFUSED

from .test_services import count_all

pytestmark = pytest.mark.django_db

PW = settings.DEMO_PASSWORD
HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSED = str(PASSWORD_REFUSED)


def sign_in_answer(username, address="10.7.7.7"):
    response = Client().post(reverse("login"), {"username": username, "password": PW}, REMOTE_ADDR=address)
    return response.status_code


def form_errors(response) -> list[str]:
    return [str(e) for errs in response.context["form"].errors.values() for e in errs]


def errors_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def handover(store, desk, items, clerk, clerk2):
    return services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)


@pytest.fixture
def signed(handover, store, clerk):
    store.requires_handover_witness = True
    store.save()
    count_all(handover, clerk)
    outgoing = Client()
    outgoing.force_login(clerk)
    outgoing.post(reverse("handovers:sign", args=[handover.pk]), {"password": PW})
    handover.refresh_from_db()
    assert handover.state == HandoverState.SIGNED
    return handover


@pytest.fixture
def accepted(signed, manager, clerk2):
    services.handover_witness(request=_request(), handover=signed, witness_id=manager.pk, password=PW)
    services.handover_accept(request=_request(), handover_id=signed.pk, user=clerk2, password=PW)
    signed.refresh_from_db()
    return signed


def _request():
    from tests.factories.org import web_request

    return web_request("10.8.8.8")


# ---------------------------------------------------------------- the witness


def test_the_witness_picker_lists_only_third_people_who_set_balances_in_that_store(
    client_for, signed, clerk, clerk2, manager, admin, aftersales, manager2, clerk_b
):
    page = client_for(clerk2).get(signed.get_absolute_url())
    choices = {
        value.instance for value, _label in page.context["witness_form"].fields["witness"].choices if value
    }
    assert choices == {manager, admin}
    body = page.content.decode()
    for outsider in (clerk, clerk2, aftersales, manager2, clerk_b):
        assert f'value="{outsider.pk}"' not in body.split('name="witness"')[1].split("</select>")[0]


@pytest.mark.parametrize("who", ["nobody", "outgoing", "other_store_manager", "clerk_no_balances"])
def test_an_ineligible_witness_gets_the_same_answer_as_a_wrong_password(
    request, client_for, signed, clerk, clerk2, manager, manager2, aftersales, who
):
    witness_id = {
        "nobody": 999999,
        "outgoing": clerk.pk,
        "other_store_manager": manager2.pk,
        "clerk_no_balances": aftersales.pk,
    }[who]
    client = client_for(clerk2)
    url = reverse("handovers:witness", args=[signed.pk])
    ineligible = client.post(url, {"witness": witness_id, "password": PW}, follow=True)
    wrong = client.post(url, {"witness": manager.pk, "password": "wrong"}, follow=True)
    assert errors_of(ineligible) == errors_of(wrong) == [REFUSED]
    for name in ("manager2", "赵强", "clerk", "张敏", "陈静"):
        assert name not in errors_of(ineligible)[0]
    signed.refresh_from_db()
    assert signed.witness_id is None


def test_five_wrong_witness_passwords_lock_that_person_out_of_sign_in(client_for, signed, clerk2, manager):
    client = client_for(clerk2)
    url = reverse("handovers:witness", args=[signed.pk])
    for _ in range(5):
        response = client.post(
            url, {"witness": manager.pk, "password": "wrong"}, REMOTE_ADDR="10.5.5.5", follow=True
        )
        assert response.status_code == 200  # the handover page again, not the lockout page
        assert errors_of(response) == [REFUSED]
    response = client.post(url, {"witness": manager.pk, "password": PW}, REMOTE_ADDR="10.5.5.6", follow=True)
    assert errors_of(response) == [REFUSED]
    signed.refresh_from_db()
    assert signed.witness_id is None
    assert sign_in_answer("manager") == 429


# ---------------------------------------------------------------- sign, accept, amend, confirm


def _post_wrong(client, url, data, n=5):
    for _ in range(n):
        response = client.post(url, data, REMOTE_ADDR="10.6.6.6", follow=True)
        assert response.status_code == 200
    return response


def test_five_wrong_signing_passwords_lock_the_outgoing_clerk(client_for, handover, clerk):
    count_all(handover, clerk)
    client = client_for(clerk)
    url = reverse("handovers:sign", args=[handover.pk])
    assert REFUSED in errors_of(_post_wrong(client, url, {"password": "wrong"}))
    response = client.post(url, {"password": PW}, REMOTE_ADDR="10.6.6.7", follow=True)
    assert errors_of(response) == [REFUSED]
    handover.refresh_from_db()
    assert handover.state == HandoverState.DRAFT
    assert sign_in_answer("clerk") == 429


def test_five_wrong_accepting_passwords_lock_the_incoming_clerk(client_for, signed, manager, clerk2):
    services.handover_witness(request=_request(), handover=signed, witness_id=manager.pk, password=PW)
    client = client_for(clerk2)
    url = reverse("handovers:accept", args=[signed.pk])
    _post_wrong(client, url, {"password": "wrong"})
    response = client.post(url, {"password": PW}, follow=True)
    assert errors_of(response) == [REFUSED]
    signed.refresh_from_db()
    assert signed.state == HandoverState.SIGNED
    assert sign_in_answer("clerk2") == 429


def test_five_wrong_correction_passwords_lock_the_proposer(client_for, accepted, clerk2):
    line = accepted.lines.get(item__code="sim")
    client = client_for(clerk2)
    url = reverse("handovers:amend", args=[accepted.pk])
    data = {"line": line.pk, "counted": "47", "reason": "复点", "password": "wrong"}
    for _ in range(5):
        response = client.post(url, data)
        assert REFUSED in response.content.decode()
    response = client.post(url, {**data, "password": PW})
    assert REFUSED in response.content.decode()
    assert not accepted.amendments.exists()
    assert sign_in_answer("clerk2") == 429


def test_five_wrong_confirmation_passwords_lock_the_confirmer(client_for, accepted, clerk2, manager):
    line = accepted.lines.get(item__code="sim")
    amendment = services.amendment_propose(
        request=_request(),
        handover=accepted,
        line=line,
        user=clerk2,
        counted=Decimal(47),
        reason="复点",
        password=PW,
    )
    client = client_for(manager)
    url = reverse("handovers:amendment_confirm", args=[accepted.pk, amendment.pk])
    _post_wrong(client, url, {"password": "wrong"})
    response = client.post(url, {"password": PW}, follow=True)
    assert errors_of(response) == [REFUSED]
    amendment.refresh_from_db()
    assert amendment.confirmed_by is None
    assert sign_in_answer("manager") == 429
