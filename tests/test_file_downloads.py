"""Every stored file (every FileField / ImageField of every model) is served only by a view that
checks the user may see the record it belongs to: anonymous users are sent to sign in, another
store's user gets 404, a role without the permission is refused, and the owner gets the file with
`nosniff` and a safe disposition.

A model that gains a file field fails `test_every_file_field_has_a_download_case` until it has a
download view and a case here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.org import access
from apps.org.models import RoleTier

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class Case:
    url: str
    content: bytes
    owner: object  # a user who may see the record
    without_permission: object  # a user of the same store whose role may not see it
    inline: bool  # an image shown in the browser (else downloaded)


def customer_attachment(request) -> Case:
    from apps.customers.services import attachment_add
    from tests.factories import customers as f

    store, clerk = request.getfixturevalue("store"), request.getfixturevalue("clerk")
    customer = f.customer(store)
    attachment = attachment_add(
        customer=customer, upload=SimpleUploadedFile("验收单.pdf", b"%PDF-1.4 test"), by=clerk
    )
    _drop_perm(request, RoleTier.CLERK, "customers.view")
    url = reverse("customers:attachment", args=[customer.pk, attachment.pk])
    return Case(url, b"%PDF-1.4 test", request.getfixturevalue("aftersales"), clerk, inline=False)


def ticket_attachment(request) -> Case:
    from apps.tickets.services import ticket_attach
    from tests.factories import customers as f
    from tests.factories.tickets import complaint

    store, clerk = request.getfixturevalue("store"), request.getfixturevalue("clerk")
    ticket = complaint(store, f.customer(store), clerk)
    attachment = ticket_attach(ticket=ticket, upload=SimpleUploadedFile("现场.png", PNG), by=clerk)
    _drop_perm(request, RoleTier.CLERK, "tickets.view")
    url = reverse("tickets:attachment", args=[ticket.pk, attachment.pk])
    return Case(url, PNG, request.getfixturevalue("manager"), clerk, inline=True)


def checklist_photo(request) -> Case:
    from apps.checklists import services
    from apps.checklists.models import ItemKind
    from tests.factories.checklists import item, opening_template

    store, clerk = request.getfixturevalue("store"), request.getfixturevalue("clerk")
    template = opening_template(store, holders=[clerk], name="营业员班前准备")
    services.runs_create_due(
        now=timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8, 10)))
    )
    run = template.runs.get(assignee=clerk)
    photo_item = item(template, ItemKind.PHOTO)
    services.item_answer(
        run=run, item=photo_item, user=clerk, ok=True, photo=SimpleUploadedFile("hall.png", PNG, "image/png")
    )
    url = reverse("checklists:photo", args=[run.pk, photo_item.pk])
    # Only the run's own clerk and those who see the store's board may see it: not another clerk.
    from tests.factories.org import member

    other_clerk = member(store, RoleTier.CLERK, "clerk_other", display_name="别的营业员")
    return Case(url, PNG, clerk, other_clerk, inline=True)


def plan_attachment(request) -> Case:
    from apps.org.models import Department
    from apps.targets import services

    store, admin = request.getfixturevalue("store"), request.getfixturevalue("admin")
    manager, clerk = request.getfixturevalue("manager"), request.getfixturevalue("clerk")
    dept = Department.objects.create(
        organisation=store.organisation, store=store, name="售后服务部", code="as"
    )
    plan = services.plan_create(by=admin, department=dept, store=store, year=2026, responsible=manager)
    attachment = services.plan_attach(
        by=admin, plan=plan, upload=SimpleUploadedFile("附件3 预算.pdf", b"%PDF-1.4 plan"), label="附件3"
    )
    url = reverse("targets:plan_attachment", args=[plan.pk, attachment.pk])
    return Case(url, b"%PDF-1.4 plan", manager, clerk, inline=False)


def _drop_perm(request, tier: str, perm: str) -> None:
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setitem(access.TIER_PERMS, tier, access.TIER_PERMS[tier] - {perm})


CASES = {
    ("customers.Attachment", "file"): customer_attachment,
    ("tickets.TicketAttachment", "file"): ticket_attachment,
    ("checklists.ItemResult", "photo"): checklist_photo,
    ("targets.PlanAttachment", "file"): plan_attachment,
}


def file_fields() -> set[tuple[str, str]]:
    return {
        (model._meta.label, f.name)
        for model in django_apps.get_models()
        for f in model._meta.get_fields()
        # django-simple-history's copies keep only the file's name, never serve it
        if isinstance(f, models.FileField) and not model.__name__.startswith("Historical")
    }


def test_every_file_field_has_a_download_case():
    assert file_fields() == set(CASES)


@pytest.fixture(params=list(CASES), ids=lambda key: f"{key[0]}.{key[1]}")
def case(request) -> Case:
    return CASES[request.param](request)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_anonymous_user_is_sent_to_sign_in(case):
    response = _client().get(case.url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_stores_user_gets_404(case, manager2):
    assert _client(manager2).get(case.url).status_code == 404


def test_a_role_without_the_permission_is_refused(case):
    assert _client(case.without_permission).get(case.url).status_code in (403, 404)


def test_the_owner_gets_the_file_with_nosniff_and_a_safe_disposition(case):
    response = _client(case.owner).get(case.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == case.content
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if case.inline else "attachment"), disposition
