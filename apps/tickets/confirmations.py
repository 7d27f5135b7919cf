"""A customer's confirmation of an added item or a delay they caused: who confirmed, by which
channel, when, recorded by whom (a typed note alone is not a confirmation)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.models import User

from .models import Confirmation, Ticket


def _confirmation_record(
    *,
    ticket: Ticket,
    by: User,
    customer_name: str,
    channel: str,
    confirmed_at: dt.datetime | None,
    contact: str = "",
    note: str = "",
    **subject,
) -> Confirmation:
    """Validate and store who confirmed, how and when (a typed note alone is not a confirmation)."""
    customer_name = (customer_name or "").strip()
    if not customer_name:
        raise ValidationError(_("Record who confirmed: the customer's name."))
    if channel not in Confirmation.Channel.values:
        raise ValidationError(_("Record how the customer confirmed: by phone, signature or message."))
    now = timezone.now()
    confirmed_at = confirmed_at or now
    if confirmed_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("The confirmation cannot be in the future."))
    if confirmed_at < ticket.created_at.replace(second=0, microsecond=0):  # forms give whole minutes
        raise ValidationError(_("The confirmation cannot be before the order was opened."))
    confirmation = Confirmation.objects.create(
        ticket=ticket,
        confirmed_by_name=customer_name[:120],
        contact=(contact or "").strip()[:60],
        channel=channel,
        confirmed_at=confirmed_at,
        note=(note or "").strip()[:200],
        recorded_by=by,
        **subject,
    )
    return confirmation


def _confirmation_text(c: Confirmation) -> str:
    return _("%(name)s confirmed by %(channel)s at %(at)s (recorded by %(by)s)") % {
        "name": c.confirmed_by_name,
        "channel": c.get_channel_display(),
        "at": timezone.localtime(c.confirmed_at).strftime("%Y-%m-%d %H:%M"),
        "by": c.recorded_by,
    }
