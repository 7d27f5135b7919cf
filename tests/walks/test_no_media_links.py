"""No page of the demo links to a stored file by its storage URL (`/media/…`): every file is
reached through its permission-checked download view.

Before the crawl, each kind of stored file the app keeps (customer and ticket attachments, a
checklist photo) is added to a demo record the user may see, so the pages that show files have
some to show.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from apps.checklists.models import ItemResult
from apps.customers.models import Customer
from apps.customers.services import attachment_add
from apps.tickets.models import Ticket
from apps.tickets.services import ticket_attach
from tests.walks.crawl import crawl

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MEDIA = re.compile(r"""(?:href|src|action|hx-get|data-[\w-]+)\s*=\s*["'][^"']*/media/""", re.I)


@pytest.fixture
def files(demo) -> dict[str, str]:
    """One stored file of each kind in the hall the demo clerk works in: {page url: download url}."""
    clerk = demo.users["clerk"]
    hall = demo.stores["hall-central"]
    customer = Customer.objects.filter(store=hall).order_by("pk").first()
    attachment = attachment_add(customer=customer, upload=SimpleUploadedFile("验收单.png", PNG), by=clerk)
    ticket = Ticket.objects.filter(store=hall).order_by("pk").first()
    ticket_file = ticket_attach(ticket=ticket, upload=SimpleUploadedFile("现场.png", PNG), by=clerk)
    result = ItemResult.objects.filter(run__assignee=clerk).order_by("-run__date", "pk").first()
    run = result.run
    result.photo.save("hall.png", SimpleUploadedFile("hall.png", PNG), save=True)
    return {
        customer.get_absolute_url(): reverse("customers:attachment", args=[customer.pk, attachment.pk]),
        ticket.get_absolute_url(): reverse("tickets:attachment", args=[ticket.pk, ticket_file.pk]),
        reverse("checklists:run", args=[run.pk]): reverse("checklists:photo", args=[run.pk, result.item_id]),
    }


@pytest.mark.parametrize("username", ["admin", "clerk"])
def test_no_page_links_to_a_stored_file_by_its_media_url(demo, files, username):
    client = demo.client(username)
    site = crawl(client, start=("/", *files), per_route=1)
    for page_url, download_url in files.items():
        page = site.pages[page_url]
        assert page.status == 200, page_url
        assert download_url in page.links, f"{page_url} shows no link to its file"
        assert client.get(download_url).status_code == 200
    offending = {url: MEDIA.findall(page.body) for url, page in site.pages.items() if MEDIA.search(page.body)}
    assert not offending
    assert not [link for page in site.pages.values() for link in page.links if "/media/" in link]


def test_no_admin_page_of_a_model_with_a_file_links_to_its_media_url(demo, files):
    """The Django admin (not crawled) shows stored files through the download views too."""
    client = demo.client("admin")
    with_files = [
        model
        for model in admin.site._registry
        if any(isinstance(f, models.FileField) for f in model._meta.get_fields())
    ]
    assert with_files
    checked = []
    for model in with_files:
        instance = model.objects.exclude(**{_file_field(model): ""}).order_by("-pk").first()
        if instance is None:
            continue
        checked.append(model)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/media/" not in response.content.decode(), url
    assert checked, "no model with a file had a stored file: the walk checked nothing"


def _file_field(model) -> str:
    return next(f.name for f in model._meta.get_fields() if isinstance(f, models.FileField))
