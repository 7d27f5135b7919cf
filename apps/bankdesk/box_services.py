"""Writes of the tail boxes (尾箱) and the branch's stock against its limits.

- A teller starts the day's check of their box, counts it (cash by denomination) against the book,
  explains every difference and signs with their password; a second person of the branch signs the
  seal with theirs (双人封箱): never the teller twice.
- 金库调拨 / 后台调拨 in and out of a box are recorded as a transfer and as a receipt or issue in the
  box's ledger; the supervisor sets the branch's limits (库存限额). Whenever the branch holds more
  than a limit, the supervisors are told once per item and day, and the day is counted.
Refusals are ValidationErrors whose message is for the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.handovers.services import movement_record
from apps.notifications.services import Message, notifications_send_many
from apps.org.access import can, people_who_can, require
from apps.org.models import Store, StoreKind, User
from apps.org.passwords import PASSWORD_REFUSED, PasswordRefused, password_confirm

from .box_selectors import bank_items, box_book, branch_holdings, second_signers_for
from .models import (
    BranchLimit,
    BranchTransfer,
    Channel,
    CheckState,
    Flow,
    OverLimit,
    TailBox,
    TailBoxCheck,
    TailBoxLine,
)


def _bank(by: User, store: Store, perm: str) -> None:
    require(by, perm, store)
    if store.kind != StoreKind.BANK_BRANCH:
        raise ValidationError(_("Tail boxes belong to bank branches."))


def _confirm(*, request: HttpRequest | None, user: User | None, password: str) -> User:
    """Through the sign-in lockout, outside the write's transaction (a failure stays counted)."""
    if request is None:
        raise ValidationError(str(PASSWORD_REFUSED))
    try:
        return password_confirm(request=request, user=user, password=password)
    except PasswordRefused as exc:
        raise ValidationError(str(exc)) from None


def tail_box_check_start(*, by: User, box: TailBox, day: dt.date | None = None) -> TailBoxCheck:
    """The day's check of `box`, with one line per bank item and its book figure; starting again
    returns the same check."""
    store = box.store
    _bank(by, store, "bank.record")
    if box.teller_id != by.pk:
        raise ValidationError(_("Only the box's teller counts it."))
    if not box.is_active:
        raise ValidationError(_("This box is no longer in use."))
    day = day or timezone.localdate()
    existing = TailBoxCheck.objects.filter(box=box, business_date=day).first()
    if existing:
        return existing
    items = list(bank_items(store))
    if not items:
        raise ValidationError(_("No tail-box items are set up for bank branches yet."))
    book = box_book(box=box, items=items)
    try:
        with transaction.atomic():
            check = TailBoxCheck.objects.create(store=store, box=box, teller=by, business_date=day)
            TailBoxLine.objects.bulk_create(
                [
                    TailBoxLine(box_check=check, item=item, order=item.order, expected=book[item.pk])
                    for item in items
                ]
            )
    except IntegrityError:
        # A double click: the unique (box, day) let one through.
        return TailBoxCheck.objects.get(box=box, business_date=day)
    return check


def _counting(check: TailBoxCheck, by: User) -> TailBoxCheck:
    check = TailBoxCheck.objects.select_for_update().select_related("store", "box").get(pk=check.pk)
    _bank(by, check.store, "bank.record")
    if check.teller_id != by.pk:
        raise ValidationError(_("Only the box's teller counts it."))
    if check.state != CheckState.COUNTING:
        raise ValidationError(_("This box is signed and its count can no longer change."))
    return check


@transaction.atomic
def tail_box_count_save(*, by: User, check: TailBoxCheck, counts: dict[int, dict]) -> list[TailBoxLine]:
    """Save what was counted: `counts` maps a line id to {"counted": Decimal | None, "breakdown":
    {denomination: pieces} | None, "explanation": str}. Cash is the sum of its denominations."""
    check = _counting(check, by)
    lines = list(check.lines.select_related("item").order_by("order", "pk"))
    for line in lines:
        entry = counts.get(line.pk)
        if entry is None:
            continue
        denominations = line.item.denomination_list()
        breakdown = entry.get("breakdown")
        if denominations and breakdown is not None:
            clean, total, any_typed = {}, Decimal(0), False
            for d in denominations:
                pieces = breakdown.get(str(d))
                if pieces is None:
                    continue
                any_typed = True
                if pieces < 0:
                    raise ValidationError(_("A count cannot be negative."))
                if pieces:
                    clean[str(d)] = pieces
                    total += d * pieces
            line.breakdown = clean
            line.counted = total if any_typed else None
        else:
            counted = entry.get("counted")
            if counted is not None and counted < 0:
                raise ValidationError(_("A count cannot be negative."))
            line.counted = counted
        line.explanation = (entry.get("explanation") or "").strip()
        line.save(update_fields=["breakdown", "counted", "explanation"])
    return lines


def tail_box_sign(
    *, request: HttpRequest, check: TailBoxCheck, user: User, password: str, seal_number: str
) -> TailBoxCheck:
    """The teller signs the count with their password (checked first, through the lockout)."""
    _confirm(request=request, user=user, password=password)
    return _tail_box_sign(check=check, user=user, seal_number=seal_number)


@transaction.atomic
def _tail_box_sign(*, check: TailBoxCheck, user: User, seal_number: str) -> TailBoxCheck:
    check = _counting(check, user)
    if not (seal_number or "").strip():
        raise ValidationError({"seal_number": _("Enter the number of the seal on the box.")})
    lines = list(check.lines.select_related("item").order_by("order", "pk"))
    # The book as it is now: a transfer recorded while counting counts too.
    book = box_book(box=check.box, items=[ln.item for ln in lines])
    for line in lines:
        if line.expected != book[line.item_id]:
            line.expected = book[line.item_id]
            line.save(update_fields=["expected"])
    uncounted = [str(ln.item) for ln in lines if ln.counted is None]
    if uncounted:
        raise ValidationError(_("Not counted yet: %(items)s") % {"items": "、".join(uncounted)})
    unexplained = [str(ln.item) for ln in lines if ln.needs_explanation]
    if unexplained:
        raise ValidationError(
            _("Explain every difference before signing: %(items)s") % {"items": "、".join(unexplained)}
        )
    check.seal_number = seal_number.strip()
    check.state = CheckState.SIGNED
    check.signed_at = timezone.now()
    check.save(update_fields=["seal_number", "state", "signed_at"])
    return check


def tail_box_seal(
    *, request: HttpRequest, check: TailBoxCheck, second_id: int | str | None, password: str
) -> TailBoxCheck:
    """The second person, picked among the branch's staff, signs the seal with their password."""
    try:
        pk = int(second_id) if second_id else None
    except (TypeError, ValueError):
        pk = None
    if pk is not None and pk == check.teller_id:
        raise ValidationError(_("The same person cannot sign twice: a second person signs the seal."))
    second = second_signers_for(check=check).filter(pk=pk).first() if pk else None
    second = _confirm(request=request, user=second, password=password)
    return _tail_box_seal(check=check, second=second)


@transaction.atomic
def _tail_box_seal(*, check: TailBoxCheck, second: User) -> TailBoxCheck:
    check = TailBoxCheck.objects.select_for_update().select_related("store").get(pk=check.pk)
    if check.state == CheckState.SEALED:
        raise ValidationError(_("This box is already sealed."))
    if check.state != CheckState.SIGNED:
        raise ValidationError(_("The teller signs the count before the seal."))
    if second.pk == check.teller_id:
        raise ValidationError(_("The same person cannot sign twice: a second person signs the seal."))
    if not can(second, "bank.record", check.store):
        raise ValidationError(str(PASSWORD_REFUSED))
    check.second = second
    check.state = CheckState.SEALED
    check.sealed_at = timezone.now()
    check.save(update_fields=["second", "state", "sealed_at"])
    limits_check(store=check.store)
    return check


# ---- the branch's stock against its limits


def _bank_item(store: Store, item) -> None:
    if not bank_items(store).filter(pk=item.pk).exists():
        raise ValidationError({"item": _("This item is not counted at bank branches.")})


@transaction.atomic
def branch_limit_set(*, by: User, store: Store, item, limit: Decimal) -> BranchLimit:
    _bank(by, store, "bank.supervise")
    _bank_item(store, item)
    if limit is None or limit < 0:
        raise ValidationError({"limit": _("A limit cannot be negative.")})
    row, _created = BranchLimit.objects.update_or_create(
        store=store, item=item, defaults={"limit": limit, "set_by": by, "set_at": timezone.now()}
    )
    limits_check(store=store)
    return row


@transaction.atomic
def branch_transfer_record(
    *,
    by: User,
    store: Store,
    box: TailBox,
    item,
    channel: str,
    flow: str,
    quantity: Decimal,
    note: str = "",
) -> BranchTransfer:
    """A 金库调拨 or 后台调拨 into or out of a box: a transfer, and the receipt or issue in the box's
    ledger that moves its book figure. A teller records for their own box, the supervisor for any."""
    _bank(by, store, "bank.record")
    if box.store_id != store.pk or not box.is_active:
        raise ValidationError({"box": _("Choose a box of this branch.")})
    if box.teller_id != by.pk and not can(by, "bank.supervise", store):
        raise ValidationError({"box": _("A teller records transfers of their own box only.")})
    _bank_item(store, item)
    if channel not in Channel.values or flow not in Flow.values:
        raise ValidationError(_("Choose the channel and whether it goes in or out."))
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be above zero.")})
    if flow == Flow.OUT:
        held = box_book(box=box, items=[item])[item.pk]
        if quantity > held:
            raise ValidationError(
                {
                    "quantity": _("The box holds only %(held)s by the book.")
                    % {"held": f"{held.normalize():f}"}
                }
            )
    now = timezone.now()
    movement = movement_record(
        store=store,
        counter=box.counter,
        item=item,
        kind="receipt" if flow == Flow.IN else "issue",
        quantity=quantity,
        user=by,
        note=note or str(Channel(channel).label),
        occurred_at=now,
    )
    transfer = BranchTransfer(
        store=store,
        box=box,
        item=item,
        channel=channel,
        flow=flow,
        quantity=quantity,
        at=now,
        note=note,
        recorded_by=by,
        movement=movement,
    )
    transfer.full_clean(exclude=["store", "box", "item", "recorded_by", "movement"])
    transfer.save()
    limits_check(store=store)
    return transfer


def limits_check(*, store: Store, day: dt.date | None = None) -> list[OverLimit]:
    """Record each item the branch holds over its limit today, and tell the supervisors the first
    time in the day. Idempotent: the same item on the same day is counted and told once."""
    day = day or timezone.localdate()
    found = []
    for holding in branch_holdings(store=store):
        limit = holding.limit
        if limit is None or not holding.over:
            continue
        row, created = OverLimit.objects.get_or_create(
            store=store,
            item=holding.item,
            day=day,
            defaults={"holding": holding.held, "limit": limit, "found_at": timezone.now()},
        )
        found.append(row)
        if created:
            notifications_send_many(
                recipients=people_who_can("bank.supervise", store),
                key=f"bank-limit-{store.pk}-{holding.item.pk}-{day:%Y%m%d}",
                title=Message(
                    gettext_noop("%(item)s held by the branch (%(held)s) is over its limit (%(limit)s)"),
                    item=str(holding.item),
                    held=f"{holding.held.normalize():f}",
                    limit=f"{limit.normalize():f}",
                ),
                url=reverse("bankdesk:ledger", args=[store.pk]),
                store=store,
                level="warning",
                source="bankdesk",
            )
    return found
