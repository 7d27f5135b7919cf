"""Writes of the handovers app: the stock ledger (opening balances, receipts and issues) and the
handover's workflow (count, sign, witness, accept, correct by amendment)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.checklists.open_matters import open_matters_for
from apps.checklists.selectors import blocking_failures_for
from apps.notifications.events import HANDOVER_SIGNED_WITH_DIFFERENCE, publish
from apps.org.access import can
from apps.org.models import Store, User
from apps.org.passwords import PASSWORD_REFUSED, PasswordRefused, password_confirm

from .models import (
    AmendmentState,
    Counter,
    Handover,
    HandoverAmendment,
    HandoverLine,
    HandoverSignature,
    HandoverState,
    MovementKind,
    OpeningBalance,
    SignatureRole,
    StockItem,
    StockMovement,
)
from .selectors import witnesses_for


def _confirm(*, request: HttpRequest | None, user: User | None, password: str) -> User:
    """Every password of this app goes through the sign-in lockout (apps.org.passwords), outside
    the transaction of the write, so that a failure stays counted when the write is refused."""
    if request is None:
        raise ValidationError(str(PASSWORD_REFUSED))
    try:
        return password_confirm(request=request, user=user, password=password)
    except PasswordRefused as exc:
        raise ValidationError(str(exc)) from None


def _closing_counts(handover: Handover) -> dict[int, Decimal]:
    """Closing counts of an accepted handover by item, with confirmed amendments applied."""
    counts = {line.item_id: line.counted or Decimal(0) for line in handover.lines.all()}
    for amendment in (
        handover.amendments.filter(state=AmendmentState.CONFIRMED).select_related("line").order_by("number")
    ):
        counts[amendment.line.item_id] = amendment.counted
    return counts


def expected_for(*, counter: Counter, items: list[StockItem], now: dt.datetime | None = None):
    """Expected figure of each item now: the previous accepted handover's closing count (or a newer
    opening balance set by the manager) plus receipts minus issues recorded since.

    Returns (expected by item id, previous handover or None, counted-since time or None)."""
    now = now or timezone.now()
    previous = (
        Handover.objects.filter(counter=counter, state=HandoverState.ACCEPTED)
        .order_by("-accepted_at", "-pk")
        .first()
    )
    closing = _closing_counts(previous) if previous else {}
    balances: dict[int, OpeningBalance] = {}
    for balance in OpeningBalance.objects.filter(counter=counter, effective_at__lte=now).order_by(
        "effective_at", "pk"
    ):
        balances[balance.item_id] = balance
    base: dict[int, tuple[Decimal, dt.datetime | None]] = {}
    for item in items:
        balance = balances.get(item.pk)
        if balance and (previous is None or balance.effective_at > previous.accepted_at):
            base[item.pk] = (balance.quantity, balance.effective_at)
        elif previous is not None:
            base[item.pk] = (closing.get(item.pk, Decimal(0)), previous.accepted_at)
        else:
            base[item.pk] = (Decimal(0), None)
    moved: dict[int, Decimal] = defaultdict(Decimal)
    earliest = min((since for _q, since in base.values() if since), default=None)
    movements = StockMovement.objects.filter(counter=counter, occurred_at__lte=now)
    if earliest and all(since for _q, since in base.values()):
        movements = movements.filter(occurred_at__gt=earliest)
    for m in movements.values("item_id", "kind", "quantity", "occurred_at"):
        since = base.get(m["item_id"], (0, None))[1]
        if since and m["occurred_at"] <= since:
            continue
        sign = 1 if m["kind"] == MovementKind.RECEIPT else -1
        moved[m["item_id"]] += sign * m["quantity"]
    expected = {pk: quantity + moved[pk] for pk, (quantity, _s) in base.items()}
    since = previous.accepted_at if previous else earliest
    return expected, previous, since


def _stock_items(store: Store) -> list[StockItem]:
    """The items counted at a handover of `store`: its organisation's items of its kind of store."""
    return list(
        StockItem.objects.filter(
            organisation_id=store.organisation_id, store_kind=store.kind, is_active=True
        ).order_by("order", "code")
    )


def _item_belongs(item: StockItem, store: Store) -> bool:
    return item.organisation_id == store.organisation_id and item.store_kind == store.kind


def handover_start(*, store: Store, counter: Counter, outgoing: User, incoming: User) -> Handover:
    """Start counting a handover at a counter; starting again (a double click) returns the same one."""
    if counter.store_id != store.pk:
        raise ValidationError(_("This counter is not in this store."))
    if outgoing.pk == incoming.pk:
        raise ValidationError(_("The incoming clerk must be someone else."))
    for person in (outgoing, incoming):
        if not can(person, "handovers.sign", store):
            raise ValidationError(_("%(name)s cannot sign handovers in this store.") % {"name": person})
    try:
        with transaction.atomic():
            open_one = (
                Handover.objects.select_for_update()
                .filter(counter=counter, state__in=[HandoverState.DRAFT, HandoverState.SIGNED])
                .first()
            )
            if open_one:
                if open_one.outgoing_id == outgoing.pk:
                    return open_one
                raise ValidationError(
                    _("%(name)s has a handover open at this counter.") % {"name": open_one.outgoing}
                )
            now = timezone.now()
            items = _stock_items(store)
            expected, previous, since = expected_for(counter=counter, items=items, now=now)
            handover = Handover.objects.create(
                store=store,
                counter=counter,
                business_date=timezone.localdate(now),
                outgoing=outgoing,
                incoming=incoming,
                period_start=since or now,
                previous=previous,
            )
            HandoverLine.objects.bulk_create(
                [
                    HandoverLine(handover=handover, item=item, order=item.order, expected=expected[item.pk])
                    for item in items
                ]
            )
            return handover
    except IntegrityError:
        # Two starts at the same moment: the unique constraint let one through; return it.
        open_one = Handover.objects.filter(
            counter=counter, state__in=[HandoverState.DRAFT, HandoverState.SIGNED]
        ).first()
        if open_one and open_one.outgoing_id == outgoing.pk:
            return open_one
        raise ValidationError(_("Another handover was started at this counter at the same moment.")) from None


@transaction.atomic
def handover_line_save(
    *,
    line: HandoverLine,
    user: User,
    counted: Decimal | None,
    breakdown: dict[str, int] | None = None,
    explanation: str = "",
) -> HandoverLine:
    handover = Handover.objects.select_for_update().get(pk=line.handover_id)
    if handover.outgoing_id != user.pk:
        raise ValidationError(_("Only the outgoing clerk counts."))
    if handover.state != HandoverState.DRAFT:
        raise ValidationError(_("This handover is signed and can no longer be changed."))
    line = HandoverLine.objects.select_related("item").get(pk=line.pk)
    denominations = line.item.denomination_list()
    if denominations and breakdown is not None:
        clean = {}
        total = Decimal(0)
        for d in denominations:
            qty = int(breakdown.get(str(d), 0) or 0)
            if qty < 0:
                raise ValidationError(_("A count cannot be negative."))
            if qty:
                clean[str(d)] = qty
                total += d * qty
        line.breakdown = clean
        line.counted = total
    else:
        if counted is not None and counted < 0:
            raise ValidationError(_("A count cannot be negative."))
        line.counted = counted
    line.explanation = (explanation or "").strip()
    line.save()
    return line


def _refresh_expected(handover: Handover) -> list[HandoverLine]:
    lines = list(handover.lines.select_related("item").order_by("order", "pk"))
    expected, _previous, _since = expected_for(counter=handover.counter, items=[ln.item for ln in lines])
    for line in lines:
        if line.expected != expected[line.item_id]:
            line.expected = expected[line.item_id]
            line.save(update_fields=["expected"])
    return lines


def handover_sign(
    *, request: HttpRequest, handover: Handover, user: User, password: str, notes: str = ""
) -> Handover:
    """The outgoing clerk signs with their password (checked first, through the lockout)."""
    _confirm(request=request, user=user, password=password)
    return _handover_sign(handover=handover, user=user, notes=notes)


@transaction.atomic
def _handover_sign(*, handover: Handover, user: User, notes: str) -> Handover:
    """Every line counted, every difference explained, nothing blocking."""
    handover = Handover.objects.select_for_update().select_related("store", "counter").get(pk=handover.pk)
    if handover.state != HandoverState.DRAFT:
        raise ValidationError(_("This handover is already signed."))
    if handover.outgoing_id != user.pk:
        raise ValidationError(_("Only the outgoing clerk signs here."))
    lines = _refresh_expected(handover)
    uncounted = [str(ln.item) for ln in lines if ln.counted is None]
    if uncounted:
        raise ValidationError(_("Not counted yet: %(items)s") % {"items": "、".join(uncounted)})
    unexplained = [str(ln.item) for ln in lines if ln.needs_explanation]
    if unexplained:
        raise ValidationError(
            _("Explain every difference before signing: %(items)s") % {"items": "、".join(unexplained)}
        )
    blocking = blocking_failures_for(user=user, store=handover.store)
    if blocking:
        raise ValidationError(
            _("The shift cannot close until the manager resolves: %(items)s") % {"items": "、".join(blocking)}
        )
    now = timezone.now()
    handover.open_matters = [
        {
            "kind": m.kind,
            "label": m.label,
            "url": m.url,
            "since": m.since.isoformat() if m.since else "",
            "ref": m.ref,
        }
        for m in open_matters_for(user=handover.outgoing, store=handover.store)
    ]
    handover.notes = notes or handover.notes
    handover.state = HandoverState.SIGNED
    handover.signed_at = now
    handover.save()
    HandoverSignature.objects.create(handover=handover, role=SignatureRole.OUTGOING, user=user, signed_at=now)
    differences = [ln for ln in lines if ln.difference]
    if differences:
        publish(
            HANDOVER_SIGNED_WITH_DIFFERENCE,
            store=handover.store,
            key=f"handover:{handover.pk}",
            payload={"handover": _handover_payload(handover, differences)},
        )
    return handover


def _handover_payload(handover: Handover, differences: list[HandoverLine]) -> dict:
    from django.conf import settings

    return {
        "id": handover.pk,
        "counter": str(handover.counter),
        "outgoing": str(handover.outgoing),
        "incoming": str(handover.incoming),
        "signed_at": handover.signed_at.isoformat() if handover.signed_at else None,
        "url": settings.SITE_URL.rstrip("/") + handover.get_absolute_url(),
        "differences": [
            {
                "item": str(ln.item),
                "expected": str(ln.expected),
                "counted": str(ln.counted),
                "difference": str(ln.difference),
                "explanation": ln.explanation,
            }
            for ln in differences
        ],
    }


def handover_witness(
    *, request: HttpRequest, handover: Handover, witness_id: int | str | None, password: str
) -> Handover:
    """The witness, picked among `witnesses_for(handover)`, signs with their password; anyone
    else, or a wrong password, gets the one message of the lockout."""
    try:
        witness = witnesses_for(handover=handover).filter(pk=int(witness_id)).first() if witness_id else None
    except (TypeError, ValueError):
        witness = None
    witness = _confirm(request=request, user=witness, password=password)
    return _handover_witness(handover=handover, witness=witness)


@transaction.atomic
def _handover_witness(*, handover: Handover, witness: User) -> Handover:
    handover = Handover.objects.select_for_update().select_related("store").get(pk=handover.pk)
    if handover.state != HandoverState.SIGNED:
        raise ValidationError(_("The witness signs after the outgoing clerk and before acceptance."))
    if handover.witness_id:
        raise ValidationError(_("A witness has already signed."))
    if witness.pk in (handover.outgoing_id, handover.incoming_id) or not can(
        witness, "handovers.set_balances", handover.store
    ):
        raise ValidationError(str(PASSWORD_REFUSED))
    now = timezone.now()
    handover.witness = witness
    handover.witnessed_at = now
    handover.save()
    HandoverSignature.objects.create(
        handover=handover, role=SignatureRole.WITNESS, user=witness, signed_at=now
    )
    return handover


def handover_accept(*, request: HttpRequest, handover_id: int, user: User, password: str) -> Handover:
    """The incoming clerk accepts with their password (checked first, through the lockout). Under a
    row lock, and with a unique signature per role behind it, concurrent or repeated accepts
    produce exactly one acceptance."""
    _confirm(request=request, user=user, password=password)
    try:
        with transaction.atomic():
            handover = Handover.objects.select_for_update().select_related("store").get(pk=handover_id)
            if handover.state == HandoverState.ACCEPTED:
                raise ValidationError(
                    _("This handover was already accepted by %(name)s at %(time)s.")
                    % {
                        "name": handover.incoming,
                        "time": timezone.localtime(handover.accepted_at).strftime("%Y-%m-%d %H:%M"),
                    }
                )
            if handover.state != HandoverState.SIGNED:
                raise ValidationError(_("The outgoing clerk has not signed yet."))
            if handover.incoming_id != user.pk:
                raise ValidationError(
                    _("Only %(name)s can accept this handover.") % {"name": handover.incoming}
                )
            if handover.store.requires_handover_witness and not handover.witness_id:
                raise ValidationError(_("This store needs a witness (监交人) to sign first."))
            now = timezone.now()
            HandoverSignature.objects.create(
                handover=handover, role=SignatureRole.INCOMING, user=user, signed_at=now
            )
            handover.state = HandoverState.ACCEPTED
            handover.accepted_at = now
            handover.save()
            return handover
    except IntegrityError:
        raise ValidationError(
            _("This handover was accepted at the same moment by another request.")
        ) from None


def amendment_propose(
    *,
    request: HttpRequest,
    handover: Handover,
    line: HandoverLine,
    user: User,
    counted: Decimal,
    reason: str,
    password: str,
) -> HandoverAmendment:
    """A correction of an accepted handover, signed with the proposer's password (checked first)."""
    _confirm(request=request, user=user, password=password)
    return _amendment_propose(handover=handover, line=line, user=user, counted=counted, reason=reason)


@transaction.atomic
def _amendment_propose(
    *, handover: Handover, line: HandoverLine, user: User, counted: Decimal, reason: str
) -> HandoverAmendment:
    handover = Handover.objects.select_for_update().select_related("store").get(pk=handover.pk)
    if handover.state != HandoverState.ACCEPTED:
        raise ValidationError(
            _("Only an accepted handover is corrected by an amendment; edit the count instead.")
        )
    if line.handover_id != handover.pk:
        raise ValidationError(_("This line is not on this handover."))
    if user.pk not in (handover.outgoing_id, handover.incoming_id) and not can(
        user, "handovers.set_balances", handover.store
    ):
        raise ValidationError(_("Only the two clerks or a manager can correct a handover."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the count is corrected."))
    if counted is None or counted < 0:
        raise ValidationError(_("A count cannot be negative."))
    now = timezone.now()
    number = (handover.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
    amendment = HandoverAmendment.objects.create(
        handover=handover,
        number=number,
        line=line,
        counted=counted,
        reason=reason.strip(),
        proposed_by=user,
        proposed_at=now,
    )
    HandoverSignature.objects.create(
        handover=handover, amendment=amendment, role=SignatureRole.AMEND_PROPOSER, user=user, signed_at=now
    )
    return amendment


def amendment_confirm(
    *, request: HttpRequest, amendment: HandoverAmendment, user: User, password: str
) -> HandoverAmendment:
    """A second person confirms a correction with their password (checked first)."""
    _confirm(request=request, user=user, password=password)
    return _amendment_confirm(amendment=amendment, user=user)


@transaction.atomic
def _amendment_confirm(*, amendment: HandoverAmendment, user: User) -> HandoverAmendment:
    amendment = (
        HandoverAmendment.objects.select_for_update().select_related("handover__store").get(pk=amendment.pk)
    )
    handover = amendment.handover
    if amendment.state == AmendmentState.CONFIRMED:
        raise ValidationError(_("This correction is already confirmed."))
    if user.pk == amendment.proposed_by_id:
        raise ValidationError(_("A second person confirms a correction."))
    if user.pk not in (handover.outgoing_id, handover.incoming_id) and not can(
        user, "handovers.set_balances", handover.store
    ):
        raise ValidationError(_("Only the two clerks or a manager can confirm a correction."))
    now = timezone.now()
    amendment.state = AmendmentState.CONFIRMED
    amendment.confirmed_by = user
    amendment.confirmed_at = now
    amendment.save()
    HandoverSignature.objects.create(
        handover=handover, amendment=amendment, role=SignatureRole.AMEND_CONFIRMER, user=user, signed_at=now
    )
    return amendment


@transaction.atomic
def balance_set(
    *, store: Store, counter: Counter, item: StockItem, quantity: Decimal, user: User, effective_at=None
) -> OpeningBalance:
    if not can(user, "handovers.set_balances", store):
        raise ValidationError(_("Only a manager sets opening balances."))
    if counter.store_id != store.pk or not _item_belongs(item, store):
        raise ValidationError(_("This counter or item is not in this store."))
    if quantity is None or quantity < 0:
        raise ValidationError(_("A balance cannot be negative."))
    return OpeningBalance.objects.create(
        store=store,
        counter=counter,
        item=item,
        quantity=quantity,
        effective_at=effective_at or timezone.now(),
        set_by=user,
    )


@transaction.atomic
def movement_record(
    *,
    store: Store,
    counter: Counter,
    item: StockItem,
    kind: str,
    quantity: Decimal,
    user: User,
    note: str = "",
    occurred_at=None,
) -> StockMovement:
    if not can(user, "handovers.sign", store):
        raise ValidationError(_("You cannot record stock in this store."))
    if counter.store_id != store.pk or not _item_belongs(item, store):
        raise ValidationError(_("This counter or item is not in this store."))
    if quantity is None or quantity <= 0:
        raise ValidationError(_("The quantity must be above zero."))
    return StockMovement.objects.create(
        store=store,
        counter=counter,
        item=item,
        kind=kind,
        quantity=quantity,
        note=note,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=user,
    )
