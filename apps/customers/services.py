"""Writes on customer files: customers and phones, assets, visits, notes, attachments, personal data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.services import Level, Message, notifications_send_many
from apps.org.models import Store, User
from apps.org.selectors import managers_of

from .id_numbers import id_number_normalise
from .models import (
    Asset,
    Attachment,
    Customer,
    CustomerNote,
    CustomerPhone,
    PiiAccessLog,
    Visit,
    VisitItem,
)
from .phones import phone_normalise

ATTACHMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".xlsx", ".docx", ".txt"}
# A visit's file must be complete this long after the visit (售后服务工作规划: 两天内建立客户档案),
# counted from the visit itself: 48 hours, or 2 business days where the store says so
# (Store.customer_file_within).
FILE_DUE_AFTER = dt.timedelta(hours=48)
FILE_DUE_BUSINESS_DAYS = 2

# The fields of a customer file a person fills in (the form shows them in this order).
CUSTOMER_FIELDS = (
    "kind",
    "name",
    "contact_person",
    "id_number",
    "address",
    "tier",
    "contact_consent",
    "preferred_channel",
    "owner",
    "wishes",
    "notes",
)


def _phones_normalised(phones: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    out, errors, seen = [], [], set()
    for raw, label in phones:
        if not (raw or "").strip():
            continue
        try:
            e164, digits = phone_normalise(raw)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if e164 not in seen:
            seen.add(e164)
            out.append((e164, digits, label))
    if errors:
        raise ValidationError(errors)
    return out


def customer_set_phones(*, customer: Customer, phones: list[tuple[str, str]]) -> list[CustomerPhone]:
    """Replace the customer's phones by `phones` ((number, label) pairs); the first is primary."""
    normalised = _phones_normalised(phones)
    customer.phones.all().delete()
    return CustomerPhone.objects.bulk_create(
        CustomerPhone(customer=customer, number=e164, digits=digits, label=label, is_primary=i == 0)
        for i, (e164, digits, label) in enumerate(normalised)
    )


@transaction.atomic
def customer_create(
    *, store: Store, name: str, by: User | None = None, phones: list[tuple[str, str]] = (), **fields
) -> Customer:
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields {sorted(unknown)}")
    fields.setdefault("owner", by)
    if "id_number" in fields:
        fields["id_number"] = id_number_normalise(fields["id_number"])
    customer = Customer(store=store, name=name, **fields)
    customer.full_clean(exclude=["owner"])
    customer.save()
    customer_set_phones(customer=customer, phones=list(phones))
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, by: User | None = None, phones: list[tuple[str, str]] | None = None, **fields
) -> Customer:
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields {sorted(unknown)}")
    if "id_number" in fields:
        fields["id_number"] = id_number_normalise(fields["id_number"])
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean(exclude=["owner"])
    customer.save()
    if phones is not None:
        customer_set_phones(customer=customer, phones=phones)
    for visit in customer.visits.filter(file_completed_at__isnull=True):
        visit_refresh_file_state(visit=visit)
    return customer


def asset_refresh_next_due(*, asset: Asset, save: bool = True) -> dt.date | None:
    """Keep `next_due_date` in step with the maintenance cycle, last service and mileage."""
    asset.next_due_date = asset.compute_next_due()
    if save and asset.pk:
        Asset.objects.filter(pk=asset.pk).update(next_due_date=asset.next_due_date)
    return asset.next_due_date


ASSET_FIELDS = (
    "kind",
    "model_name",
    "plate",
    "vin",
    "vehicle_type",
    "mileage_km",
    "serial_number",
    "configuration",
    "delivery_date",
    "acceptance_record",
    "packing_list",
    "major_parts",
    "maintenance_months",
    "maintenance_km",
    "last_service_date",
    "last_service_km",
    "warranty_months",
    "warranty_ends_on",
)

# What only a vehicle has: shown, read and kept at service stations only (Store.keeps_vehicles).
VEHICLE_ASSET_FIELDS = ("plate", "vin", "vehicle_type", "mileage_km", "maintenance_km", "last_service_km")


def _clean_asset_fields(fields: dict, *, store: Store) -> dict:
    if not store.keeps_vehicles:
        if fields.get("kind", Asset.Kind.PRODUCT) != Asset.Kind.PRODUCT:
            raise ValidationError(
                _("%(store)s keeps no vehicles: a customer's asset there is a product.")
                % {"store": store.name}
            )
        fields = {k: v for k, v in fields.items() if k not in VEHICLE_ASSET_FIELDS}
        fields["kind"] = Asset.Kind.PRODUCT
    if fields.get("plate"):
        fields["plate"] = fields["plate"].replace(" ", "").upper()
    if fields.get("vin"):
        fields["vin"] = fields["vin"].replace(" ", "").upper()
    return fields


@transaction.atomic
def asset_create(*, customer: Customer, model_name: str, by: User | None = None, **fields) -> Asset:
    fields = _clean_asset_fields({k: v for k, v in fields.items() if k in ASSET_FIELDS}, store=customer.store)
    asset = Asset(customer=customer, model_name=model_name, **fields)
    asset.warranty_ends_on = asset.compute_warranty_end()
    asset_refresh_next_due(asset=asset, save=False)
    asset.full_clean()
    asset.save()
    return asset


@transaction.atomic
def asset_update(*, asset: Asset, by: User | None = None, **fields) -> Asset:
    given = {k: v for k, v in fields.items() if k in ASSET_FIELDS}
    if not asset.customer.store.keeps_vehicles:
        given.setdefault("kind", asset.kind)
    for name, value in _clean_asset_fields(given, store=asset.customer.store).items():
        setattr(asset, name, value)
    asset.warranty_ends_on = asset.compute_warranty_end()
    asset_refresh_next_due(asset=asset, save=False)
    asset.full_clean()
    asset.save()
    for visit in asset.visits.filter(file_completed_at__isnull=True):
        visit_refresh_file_state(visit=visit)
    return asset


def visit_file_missing(*, visit: Visit) -> list[str]:
    """What the customer file still lacks for this visit (empty: the file is complete).

    What the plan lists (售后服务部工作规划 1): the customer's name, address and phone, the visit
    date, the services the customer wishes for (客户希望得到的服务); for a car brought in, its
    model, plate (车号), type (车种), the work done and the maintenance cycle (the next due date
    follows from it); for a delivered product, its serial number and delivery date. A consultation
    without a vehicle (来公司咨询) needs only the customer's part."""
    customer = visit.customer
    missing = []
    if not customer.address:
        missing.append(_("address"))
    if not customer.phones.exists():
        missing.append(_("phone"))
    if not customer.wishes.strip():
        missing.append(_("services the customer wishes for"))
    asset = visit.asset
    if asset is None:
        return missing
    if not visit.work_done:
        missing.append(_("work done"))
    if asset.kind == Asset.Kind.VEHICLE:
        if not asset.plate and not asset.vin:
            missing.append(_("plate or VIN"))
        if not asset.vehicle_type:
            missing.append(_("vehicle type"))
        if not (asset.maintenance_months or asset.maintenance_km):
            missing.append(_("maintenance cycle"))
    else:
        if not asset.serial_number:
            missing.append(_("serial number"))
        if not asset.delivery_date:
            missing.append(_("delivery date"))
    return missing


def visit_refresh_file_state(*, visit: Visit, now: dt.datetime | None = None) -> bool:
    """Mark the visit's file complete once nothing is missing; True when complete."""
    if visit.file_completed_at:
        return True
    if visit_file_missing(visit=visit):
        return False
    visit.file_completed_at = now or timezone.now()
    Visit.objects.filter(pk=visit.pk).update(file_completed_at=visit.file_completed_at)
    return True


def is_business_day(day: dt.date) -> bool:
    """A working day of the statutory calendar (holidays and 调休 included); weekdays where the
    calendar has no data for the year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def customer_file_due(*, store: Store, visited_at: dt.datetime) -> dt.datetime:
    """When the file of a visit at `visited_at` is due: 48 hours later, or, where the store counts
    business days, the same time of day 2 business days later."""
    if store.customer_file_within != "2_business_days":
        return visited_at + FILE_DUE_AFTER
    local = timezone.localtime(visited_at)
    day, counted = local.date(), 0
    while counted < FILE_DUE_BUSINESS_DAYS:
        day += dt.timedelta(days=1)
        counted += is_business_day(day)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def visit_moment(*, store: Store, visited_on: dt.date, at: dt.time | None = None) -> dt.datetime:
    """The visit's moment: the time given; else now for a visit today; else the day's closing time
    (the latest a past visit can have been, so that its file is never flagged early)."""
    if at is not None:
        return timezone.make_aware(dt.datetime.combine(visited_on, at))
    now = timezone.localtime()
    if visited_on == now.date():
        return now
    closes = store.closes_at
    if isinstance(closes, str):
        closes = dt.time.fromisoformat(closes)
    return timezone.make_aware(dt.datetime.combine(visited_on, closes))


@transaction.atomic
def visit_create(
    *,
    customer: Customer,
    visited_on: dt.date,
    by: User | None = None,
    visited_time: dt.time | None = None,
    asset: Asset | None = None,
    work_done: str = "",
    staff: User | None = None,
    mileage_km: int | None = None,
    items: list[tuple[str, Decimal]] = (),
    amount: Decimal | None = None,
) -> Visit:
    if asset is not None and asset.customer_id != customer.pk:
        raise ValidationError(_("The vehicle or product belongs to another customer."))
    items = [(d.strip(), Decimal(a or 0)) for d, a in items if (d or "").strip()]
    total = amount if amount is not None else sum((a for _d, a in items), Decimal(0))
    visited_at = visit_moment(store=customer.store, visited_on=visited_on, at=visited_time)
    visit = Visit.objects.create(
        store=customer.store,
        customer=customer,
        asset=asset,
        visited_on=visited_on,
        visited_at=visited_at,
        file_due_at=customer_file_due(store=customer.store, visited_at=visited_at),
        work_done=work_done,
        amount=total,
        staff=staff or by,
        mileage_km=mileage_km if customer.store.keeps_vehicles else None,
    )
    VisitItem.objects.bulk_create(VisitItem(visit=visit, description=d, amount=a) for d, a in items)
    if asset is not None and (asset.last_service_date is None or visited_on >= asset.last_service_date):
        asset.last_service_date = visited_on
        if mileage_km:
            asset.last_service_km = mileage_km
            asset.mileage_km = max(mileage_km, asset.mileage_km or 0)
        asset_refresh_next_due(asset=asset, save=False)
        asset.save()
    visit_refresh_file_state(visit=visit)
    return visit


def visits_flag_late_files(*, now: dt.datetime | None = None) -> int:
    """The two-day rule: flag visits whose file is still incomplete when it is due (`file_due_at`:
    48 hours, or 2 business days, after the visit). Idempotent.

    The file's owner and the store's managers are notified once; the visit stays on their home
    panel until the file is done.
    """
    now = now or timezone.now()
    # A row without a due time (none after the migration that filled them): two whole days on.
    cutoff = timezone.localdate(now) - dt.timedelta(days=3)
    flagged = 0
    with transaction.atomic():
        due = (
            Visit.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(file_completed_at__isnull=True, late_file_flagged_at__isnull=True)
            .filter(Q(file_due_at__lte=now) | Q(file_due_at__isnull=True, visited_on__lte=cutoff))
            .select_related("customer__owner", "asset", "store")
            .order_by("pk")[:500]
        )
        for visit in due:
            if visit_refresh_file_state(visit=visit, now=now):
                continue
            Visit.objects.filter(pk=visit.pk, late_file_flagged_at__isnull=True).update(
                late_file_flagged_at=now
            )
            notifications_send_many(
                recipients=[visit.customer.owner, *managers_of(store=visit.store)],
                key=f"customers:late-file:{visit.pk}",
                title=Message(
                    gettext_noop("Customer file incomplete two days after the visit: %(name)s (%(day)s)"),
                    name=visit.customer.name,
                    day=visit.visited_on.isoformat(),
                ),
                url=visit.customer.get_absolute_url(),
                store=visit.store,
                level=Level.WARNING,
                source="customers",
            )
            flagged += 1
    return flagged


@transaction.atomic
def note_add(*, customer: Customer, text: str, by: User | None, asset: Asset | None = None) -> CustomerNote:
    if not text.strip():
        raise ValidationError(_("The note is empty."))
    return CustomerNote.objects.create(customer=customer, asset=asset, text=text.strip(), author=by)


def attachment_validate(upload) -> None:
    limit = getattr(settings, "CUSTOMERS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB)."), params={"mb": limit // (1024 * 1024)}
        )
    if Path(upload.name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("This kind of file cannot be attached (allowed: %(ext)s)."),
            params={"ext": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
        )


@transaction.atomic
def attachment_add(
    *, customer: Customer, upload, by: User | None, asset: Asset | None = None, visit: Visit | None = None
) -> Attachment:
    attachment_validate(upload)
    name = Path(upload.name).name[:200]
    return Attachment.objects.create(
        customer=customer,
        asset=asset,
        visit=visit,
        file=upload,
        name=name,
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "",
        uploaded_by=by,
    )


PII_FIELDS = ("phone", "id_number", "export")


@transaction.atomic
def customer_reveal_pii(
    *, user: User, customer: Customer, field: str, phone: CustomerPhone | None = None
) -> str:
    """ "Show in full": the unmasked value, with the access logged (who, when, which customer, field)."""
    from apps.org.access import require

    require(user, "customers.view_pii", customer.store)
    if field not in PII_FIELDS[:2]:
        raise ValidationError(_("Unknown field."))
    PiiAccessLog.objects.create(user=user, customer=customer, field=field)
    if field == "id_number":
        return customer.id_number
    phone = phone or customer.phones.first()
    return phone.number if phone else ""


@transaction.atomic
def customer_anonymise(*, customer: Customer, by: User) -> Customer:
    """Anonymise on the customer's request (PIPL): personal data goes, the service history stays."""
    customer.name = _("Anonymised customer %(pk)s") % {"pk": customer.pk}
    customer.contact_person = ""
    customer.id_number = ""
    customer.address = ""
    customer.wishes = ""
    customer.notes = ""
    customer.contact_consent = False
    customer.anonymised_at = timezone.now()
    customer.save()
    customer.phones.all().delete()
    customer.file_notes.all().delete()
    for attachment in customer.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()
    customer.assets.update(plate="", vin="")
    # The audit history would otherwise keep every earlier value.
    Customer.history.filter(id=customer.pk).update(
        name=customer.name, contact_person="", id_number="", address="", wishes="", notes=""
    )
    Asset.history.filter(customer_id=customer.pk).update(plate="", vin="")
    PiiAccessLog.objects.create(user=by, customer=customer, field="anonymise")
    return customer


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def customer_export_data(*, user: User, customer: Customer) -> dict:
    """Everything held on one customer (PIPL access request), as plain JSON-ready data; logged."""
    from apps.org.access import require

    from .personal_data import sections_for

    require(user, "customers.view_pii", customer.store)
    PiiAccessLog.objects.create(user=user, customer=customer, field="export")
    data = {
        "customer": {f: _plain(getattr(customer, f"{f}_id" if f == "owner" else f)) for f in CUSTOMER_FIELDS}
        | {"id": customer.pk, "store": customer.store.name, "created_at": _plain(customer.created_at)},
        "phones": [
            {"number": p.number, "label": p.label, "primary": p.is_primary} for p in customer.phones.all()
        ],
        "assets": [
            {f: _plain(getattr(a, f)) for f in ("id", *ASSET_FIELDS, "next_due_date")}
            for a in customer.assets.all()
        ],
        "visits": [
            {
                "id": v.pk,
                "visited_on": _plain(v.visited_on),
                "asset": v.asset_id,
                "work_done": v.work_done,
                "amount": _plain(v.amount),
                "items": [{"item": i.description, "amount": _plain(i.amount)} for i in v.items.all()],
            }
            for v in customer.visits.prefetch_related("items")
        ],
        "notes": [{"at": _plain(n.at), "text": n.text} for n in customer.file_notes.all()],
        "attachments": [{"name": a.name, "size": a.size} for a in customer.attachments.all()],
        "personal_data_accesses": [
            {"at": _plain(log.at), "user": str(log.user), "field": log.field}
            for log in customer.pii_log.select_related("user")
        ],
    }
    for name, section in sections_for(customer=customer).items():
        data[name] = section
    return data
