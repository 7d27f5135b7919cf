"""This app's own entries on a customer's / an asset's timeline."""

from django.utils.translation import gettext as _

from .timeline import TimelineEntry, as_datetime


def visit_entries(*, customer, asset=None):
    visits = customer.visits.select_related("asset", "staff").prefetch_related("items")
    if asset is not None:
        visits = visits.filter(asset=asset)
    return [
        TimelineEntry(
            at=as_datetime(v.visited_on),
            kind="visit",
            title=_("Visit") + (f" · {v.asset}" if v.asset else ""),
            text="; ".join([v.work_done, *(i.description for i in v.items.all())]).strip("; "),
            icon="bi-tools",
            by=str(v.staff or ""),
        )
        for v in visits[:100]
    ]


def note_entries(*, customer, asset=None):
    notes = customer.file_notes.select_related("author")
    if asset is not None:
        notes = notes.filter(asset=asset)
    return [
        TimelineEntry(
            at=n.at, kind="note", title=_("Note"), text=n.text, icon="bi-sticky", by=str(n.author or "")
        )
        for n in notes[:100]
    ]


def attachment_entries(*, customer, asset=None):
    files = customer.attachments.select_related("uploaded_by")
    if asset is not None:
        files = files.filter(asset=asset)
    return [
        TimelineEntry(
            at=a.uploaded_at,
            kind="attachment",
            title=_("File attached"),
            text=a.name,
            url=f"/customers/{customer.pk}/attachments/{a.pk}/",
            icon="bi-paperclip",
            by=str(a.uploaded_by or ""),
        )
        for a in files[:50]
    ]
