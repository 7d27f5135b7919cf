"""Campaign letters: one merged PDF, one letter a page with the customer's name and address."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.access import can
from apps.printing.builders import register_builder
from apps.printing.documents import render_pdf_book

from .models import Campaign, FollowUp


def campaign_letter_parts(campaign: Campaign) -> list[tuple[str, dict]]:
    letters = (
        campaign.followups.filter(channel="letter")
        .exclude(state=FollowUp.State.SKIPPED)
        .select_related("customer")
        .order_by("customer__name", "pk")
    )
    today = timezone.localdate()
    return [
        ("followups/pdf/letter.html", {"campaign": campaign, "customer": fu.customer, "today": today})
        for fu in letters
    ]


@register_builder("followups.campaign_letters")
def campaign_letters(*, job, params, progress) -> tuple[str, bytes]:
    campaign = Campaign.objects.select_related("store").get(pk=params["campaign_id"])
    if not can(job.owner, "followups.assign", campaign.store):
        raise PermissionError(_("You may not print this campaign's letters."))
    parts = campaign_letter_parts(campaign)
    progress(0, max(len(parts), 1))
    pdf = render_pdf_book(parts, progress=progress)
    return f"{campaign.name}-letters.pdf", pdf
