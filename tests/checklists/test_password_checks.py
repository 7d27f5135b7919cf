"""Every password typed into a checklist page goes through the sign-in lockout, and the second
person is picked among the eligible staff of the store (handovers: tests/handovers/)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.checklists.models import ItemKind, ItemResult
from apps.org.passwords import PASSWORD_REFUSED
from tests.factories.checklists import item

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


# ---------------------------------------------------------------- the second person


@pytest.fixture
def seal(template, run):
    return item(template, ItemKind.SECOND_PERSON)


def test_the_second_person_picker_lists_only_others_who_run_checklists_in_that_store(
    client_for, run, seal, clerk, clerk2, manager, admin, aftersales, manager2, clerk_b
):
    body = client_for(clerk).get(run.get_absolute_url()).content.decode()
    select = body.split('name="confirmer"')[1].split("</select>")[0]
    for person in (clerk2, manager, admin):
        assert f'value="{person.pk}"' in select
    for outsider in (clerk, aftersales, manager2, clerk_b):
        assert f'value="{outsider.pk}"' not in select


@pytest.mark.parametrize("who", ["nobody", "self", "other_store_clerk", "aftersales"])
def test_an_ineligible_second_person_gets_the_same_answer_as_a_wrong_password(
    client_for, run, seal, clerk, clerk2, clerk_b, aftersales, who
):
    confirmer = {
        "nobody": 999999,
        "self": clerk.pk,
        "other_store_clerk": clerk_b.pk,
        "aftersales": aftersales.pk,
    }[who]
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, seal.pk])
    ineligible = client.post(url, {"outcome": "ok", "confirmer": confirmer, "confirmer_password": PW}, **HTMX)
    wrong = client.post(url, {"outcome": "ok", "confirmer": clerk2.pk, "confirmer_password": "wrong"}, **HTMX)
    assert form_errors(ineligible) == form_errors(wrong) == [REFUSED]
    assert not ItemResult.objects.filter(run=run, item=seal).exists()


def test_five_wrong_second_person_passwords_lock_that_person_out_of_sign_in(
    client_for, run, seal, clerk, clerk2
):
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, seal.pk])
    for _ in range(5):
        response = client.post(
            url, {"outcome": "ok", "confirmer": clerk2.pk, "confirmer_password": "wrong"}, **HTMX
        )
        assert response.status_code == 200
    response = client.post(url, {"outcome": "ok", "confirmer": clerk2.pk, "confirmer_password": PW}, **HTMX)
    assert form_errors(response) == [REFUSED]
    assert sign_in_answer("clerk2") == 429


def test_the_right_second_person_confirms(client_for, run, seal, clerk, clerk2):
    response = client_for(clerk).post(
        reverse("checklists:answer", args=[run.pk, seal.pk]),
        {"outcome": "ok", "confirmer": clerk2.pk, "confirmer_password": PW},
        **HTMX,
    )
    assert response.status_code == 200
    assert ItemResult.objects.get(run=run, item=seal).confirmed_by == clerk2
