"""The station's monthly quality meeting pack, printed through apps.printing (a job, so a long
month never holds a web worker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.printing.builders import register_builder
from apps.printing.documents import render_pdf

from . import selectors

QUALITY_PACK = "reports.quality_pack"


def quality_pack_context(*, store, month: dt.date) -> dict:
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    return {
        "store": store,
        "month": month,
        "sections": selectors.quality_sections(store=store, month=month),
        "last_month_actions": list(selectors.actions_of(store=store, month=previous)),
        "actions": list(selectors.actions_of(store=store, month=month)),
        "previous": previous,
        "printed_at": timezone.now(),
    }


@register_builder(QUALITY_PACK)
def quality_pack(*, job, params, progress) -> tuple[str, bytes]:
    # Runs in the worker: check again that the owner may read this station's pack.
    store = selectors.quality_stores_for(user=job.owner).filter(pk=params.get("store_id")).first()
    if store is None:
        raise PermissionError("station not visible to the job's owner")
    month = dt.date.fromisoformat(params["month"])
    progress(0, 1)
    pdf = render_pdf("reports/quality_pdf.html", quality_pack_context(store=store, month=month))
    progress(1, 1)
    return f"质量目标沟通会-{store.name}-{month:%Y%m}.pdf", pdf
