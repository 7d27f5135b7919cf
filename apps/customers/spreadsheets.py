"""Excel in and out: the customer / asset import (template with Chinese headers, dry run, all or
nothing) and list exports whose cells can never be read as formulas."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.org.access import require
from apps.org.models import Store, User
from apps.printing.builders import register_builder
from apps.printing.services import print_job_start
from apps.spreadsheets import cell_date, cell_text, table_response
from apps.uploads import archive_check

from .id_numbers import id_number_normalise, validate_id_number
from .models import Asset, Customer, CustomerPhone
from .phones import phone_normalise
from .services import asset_create, customer_create

if TYPE_CHECKING:
    from apps.printing.models import PrintJob

# The import template: (header, key, required). Headers are the sheet's contract: keep them.
COLUMNS = [
    ("客户名称", "name", True),
    ("客户类型(个人/单位)", "kind", False),
    ("联系人", "contact_person", False),
    ("电话(多个用;分隔)", "phones", True),
    ("地址", "address", False),
    ("等级(普通/VIP/大客户)", "tier", False),
    ("资产类型(车辆/产品)", "asset_kind", False),
    ("车型/产品型号", "model_name", False),
    ("车牌号", "plate", False),
    ("VIN", "vin", False),
    ("车辆类型", "vehicle_type", False),
    ("里程(公里)", "mileage_km", False),
    ("产品序列号", "serial_number", False),
    ("交付日期", "delivery_date", False),
    ("保养周期(月)", "maintenance_months", False),
    ("保养周期(公里)", "maintenance_km", False),
    ("身份证号", "id_number", False),
]
# Columns added after the first template went out come last and may be missing, so a sheet made
# from an older template still imports.
FIRST_TEMPLATE_COLUMNS = 16
KINDS = {"": Customer.Kind.INDIVIDUAL, "个人": Customer.Kind.INDIVIDUAL, "单位": Customer.Kind.COMPANY}
TIERS = {
    "": Customer.Tier.NORMAL,
    "普通": Customer.Tier.NORMAL,
    "VIP": Customer.Tier.VIP,
    "大客户": Customer.Tier.KEY,
}
ASSET_KINDS = {"车辆": Asset.Kind.VEHICLE, "产品": Asset.Kind.PRODUCT}
EXAMPLE = ["王建国", "个人", "", "13800138000;0571-88001234", "滨江市东环路 18 号", "VIP", "车辆", "帕萨特 1.8T",
           "浙A12345", "LSVAB23C4DE567890", "轿车", 35000, "", "2024-05-01", 6, 5000, "110101199001011237"]  # fmt: skip


# The example for a store that keeps no vehicles: a product, the vehicle columns left empty.
PRODUCT_EXAMPLE = ["李娜", "个人", "", "13800138000", "滨江市人民路 18 号", "VIP", "产品", "智能终端 X1", "", "", "",
                   "", "SN2024000123", "2024-05-01", 12, "", "110101199001011237"]  # fmt: skip


def import_template(*, vehicles: bool = True) -> HttpResponse:
    return table_response(
        title="客户导入",
        headers=[h for h, _k, _r in COLUMNS],
        rows=[EXAMPLE if vehicles else PRODUCT_EXAMPLE],
        filename="客户导入模板.xlsx",
    )


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    customers: int = 0
    assets: int = 0
    committed: bool = False
    commit: bool = False
    vehicles: bool = True  # the store keeps vehicles: the report may say so

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_report(self) -> dict:
        """What the report template shows, as JSON (a background job's report)."""
        return {
            "rows": self.rows,
            "errors": [[number, list(messages)] for number, messages in self.errors],
            "customers": self.customers,
            "assets": self.assets,
            "committed": self.committed,
            "commit": self.commit,
            "ok": self.ok,
            "vehicles": self.vehicles,
        }


_text = cell_text


def _int(value, label, errors):
    text = _text(value)
    if not text:
        return None
    try:
        number = int(float(text))
        if number < 0:
            raise ValueError
        return number
    except ValueError:
        errors.append(_("%(field)s must be a whole number.") % {"field": label})
        return None


def _date(value, label, errors):
    try:
        return cell_date(value)
    except ValueError:
        errors.append(_("%(field)s is not a date (YYYY-MM-DD).") % {"field": label})
        return None


def _open_workbook(upload):
    """The workbook, read-only, once its archive passed the size checks (ValidationError if not)."""
    from openpyxl import load_workbook

    archive_check(upload)
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
        wb.worksheets[0]  # noqa: B018  (a workbook without a sheet is unreadable too)
    except Exception as exc:  # any unreadable upload is the user's error, never a 500
        raise ValidationError(_("The file cannot be read as an Excel workbook.")) from exc
    return wb


class TooManyRows(ValidationError):
    def __init__(self, limit: int):
        super().__init__(
            _("The sheet has more than %(max)s rows; import at most %(max)s rows at a time."),
            code="too_many_rows",
            params={"max": limit},
        )
        self.limit = limit


def _read_rows(upload, *, limit: int, progress=None) -> list[tuple[int, dict]]:
    """The non-empty rows under the header; TooManyRows as soon as there are more than `limit`.

    `progress(rows_read, rows_expected)` every few hundred rows (expected: as the sheet records it).
    """
    wb = _open_workbook(upload)
    try:
        ws = wb.worksheets[0]
        recorded = ws.max_row  # the sheet's own dimension record, when it has one
        expected_rows = min(recorded - 1, limit) if recorded and recorded > 1 else limit
        rows = ws.iter_rows(values_only=True)
        header = [_text(h) for h in next(rows, [])]
        expected = [h for h, _k, _r in COLUMNS]
        present = max(FIRST_TEMPLATE_COLUMNS, min(len(expected), len([h for h in header if h])))
        if header[:present] != expected[:present]:
            raise ValidationError(
                _("The header row does not match the template; download the template again.")
            )
        out = []
        for number, values in enumerate(rows, start=2):
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            if all(_text(v) == "" for v in values[: len(COLUMNS)]):
                continue
            if len(out) >= limit:
                raise TooManyRows(limit)
            out.append((number, {key: values[i] for i, (_h, key, _r) in enumerate(COLUMNS)}))
            if progress and len(out) % PROGRESS_EVERY == 0:
                progress(len(out), max(expected_rows, len(out)))
    except ValidationError:
        raise
    except Exception as exc:  # a sheet that breaks half-way through is still the user's error
        raise ValidationError(_("The file cannot be read as an Excel workbook.")) from exc
    finally:
        wb.close()
        upload.seek(0)
    return out


PROGRESS_EVERY = 250


def customers_import(*, store: Store, upload, by: User, commit: bool, progress=None) -> ImportResult:
    """Check every row (at most CUSTOMERS_IMPORT_MAX_ROWS); with `commit` and no error anywhere,
    create everything in one transaction.

    `progress(done, total)` (a background job's) hears of the rows read, checked and saved; the
    saving happens in one transaction, so others see its progress only once it is over.
    """
    phases = 3 if commit else 2
    try:
        rows = _read_rows(
            upload,
            limit=settings.CUSTOMERS_IMPORT_MAX_ROWS,
            progress=progress and (lambda done, expected: progress(done, expected * phases)),
        )
    except ValidationError as exc:
        return ImportResult(commit=commit, errors=[(1, exc.messages)])
    return _import_rows(rows, store=store, by=by, commit=commit, progress=progress)


def _import_rows(rows, *, store: Store, by: User, commit: bool, progress=None) -> ImportResult:
    result = ImportResult(commit=commit)
    phases = 3 if commit else 2
    result.rows = len(rows)
    total = max(len(rows), 1) * phases
    if progress:
        progress(len(rows), total)
    planned = []
    vehicles = result.vehicles = store.keeps_vehicles
    seen_phones: dict[str, int] = {}
    seen_plates: dict[str, int] = {}
    all_digits, all_plates = set(), set()
    for checked, (number, raw) in enumerate(rows, start=1):
        if progress and checked % PROGRESS_EVERY == 0:
            progress(len(rows) + checked, total)
        errors: list[str] = []
        name = _text(raw["name"])
        if not name:
            errors.append(_("The customer's name is missing."))
        kind = KINDS.get(_text(raw["kind"]))
        if kind is None:
            errors.append(_("Unknown customer kind %(v)s.") % {"v": _text(raw["kind"])})
        id_number = id_number_normalise(_text(raw["id_number"]))
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors.extend(exc.messages)
        tier = TIERS.get(_text(raw["tier"]))
        if tier is None:
            errors.append(_("Unknown tier %(v)s.") % {"v": _text(raw["tier"])})
        phones = []
        for part in _text(raw["phones"]).replace("；", ";").replace(",", ";").split(";"):
            if not part.strip():
                continue
            try:
                e164, digits = phone_normalise(part)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if digits in seen_phones:
                errors.append(
                    _("Phone %(p)s also on row %(r)s.") % {"p": part.strip(), "r": seen_phones[digits]}
                )
            seen_phones.setdefault(digits, number)
            all_digits.add(digits)
            phones.append((part.strip(), digits))
        if not phones and not errors:
            errors.append(_("At least one phone is needed."))
        asset = None
        model_name = _text(raw["model_name"])
        if model_name:
            asset_kind = ASSET_KINDS.get(_text(raw["asset_kind"]) or ("车辆" if vehicles else "产品"))
            if asset_kind is None:
                errors.append(_("Unknown asset kind %(v)s.") % {"v": _text(raw["asset_kind"])})
            elif asset_kind == Asset.Kind.VEHICLE and not vehicles:
                errors.append(
                    _("%(store)s keeps no vehicles: a customer's asset there is a product.")
                    % {"store": store.name}
                )
            # Away from service stations the vehicle columns are not read.
            plate = _text(raw["plate"]).replace(" ", "").upper() if vehicles else ""
            vin = _text(raw["vin"]).replace(" ", "").upper() if vehicles else ""
            if vin and len(vin) != 17:
                errors.append(_("A VIN has 17 characters."))
            if asset_kind == Asset.Kind.VEHICLE and not (plate or vin):
                errors.append(_("A vehicle needs a plate or a VIN."))
            if plate:
                if plate in seen_plates:
                    errors.append(_("Plate %(p)s also on row %(r)s.") % {"p": plate, "r": seen_plates[plate]})
                seen_plates.setdefault(plate, number)
                all_plates.add(plate)
            asset = {
                "kind": asset_kind,
                "model_name": model_name,
                "plate": plate,
                "vin": vin,
                "vehicle_type": _text(raw["vehicle_type"])[:40] if vehicles else "",
                "mileage_km": _int(raw["mileage_km"], "里程", errors) if vehicles else None,
                "serial_number": _text(raw["serial_number"])[:60],
                "delivery_date": _date(raw["delivery_date"], "交付日期", errors),
                "maintenance_months": _int(raw["maintenance_months"], "保养周期(月)", errors),
                "maintenance_km": _int(raw["maintenance_km"], "保养周期(公里)", errors) if vehicles else None,
            }
        elif any(_text(raw[k]) for k in ("plate", "vin", "serial_number")):
            errors.append(_("The model of the vehicle or product is missing."))
        if errors:
            result.errors.append((number, errors))
        planned.append(
            (
                number,
                {
                    "name": name[:120],
                    "kind": kind,
                    "tier": tier,
                    "contact_person": _text(raw["contact_person"])[:60],
                    "address": _text(raw["address"])[:250],
                    "id_number": id_number,
                },
                phones,
                asset,
            )
        )
    # Duplicates against the store's existing files.
    taken_phones = dict(
        CustomerPhone.objects.filter(customer__store=store, digits__in=all_digits).values_list(
            "digits", "customer__name"
        )
    )
    taken_plates = dict(
        Asset.objects.filter(customer__store=store, plate__in=all_plates).values_list(
            "plate", "customer__name"
        )
    )
    dupes: dict[int, list[str]] = {}
    for number, _c, phones, asset in planned:
        for typed, digits in phones:
            if digits in taken_phones:
                dupes.setdefault(number, []).append(
                    _("Phone %(p)s already belongs to %(c)s.") % {"p": typed, "c": taken_phones[digits]}
                )
        if asset and asset["plate"] in taken_plates:
            dupes.setdefault(number, []).append(
                _("Plate %(p)s already belongs to %(c)s.")
                % {"p": asset["plate"], "c": taken_plates[asset["plate"]]}
            )
    if dupes:
        merged = dict(result.errors)
        for number, messages in dupes.items():
            merged.setdefault(number, []).extend(messages)
        result.errors = sorted(merged.items())
    if result.errors or not commit:
        return result
    if progress:
        progress(2 * len(rows), total)
    with transaction.atomic():
        for saved, (_number, customer_fields, phones, asset) in enumerate(planned, start=1):
            customer = customer_create(
                store=store, by=by, phones=[(typed, "") for typed, _d in phones], **customer_fields
            )
            result.customers += 1
            if asset:
                asset_create(customer=customer, by=by, **asset)
                result.assets += 1
            if progress and saved % PROGRESS_EVERY == 0:
                progress(2 * len(rows) + saved, total)
    result.committed = True
    return result


def customers_import_submit(*, store: Store, upload, by: User, commit: bool) -> ImportResult | PrintJob:
    """The import as the page runs it: at once for a sheet of up to CUSTOMERS_IMPORT_BACKGROUND_ROWS
    rows (the result), else as a background job (the job; its page shows the progress, then the
    same report). Only that many rows are read here before the job takes over."""
    limit = min(settings.CUSTOMERS_IMPORT_BACKGROUND_ROWS, settings.CUSTOMERS_IMPORT_MAX_ROWS)
    try:
        rows = _read_rows(upload, limit=limit)
    except TooManyRows as exc:
        if limit == settings.CUSTOMERS_IMPORT_MAX_ROWS:  # over the cap: no job would take it either
            return ImportResult(commit=commit, errors=[(1, exc.messages)])
    except ValidationError as exc:
        return ImportResult(commit=commit, errors=[(1, exc.messages)])
    else:
        return _import_rows(rows, store=store, by=by, commit=commit)
    title = _("Import customers into %(store)s") if commit else _("Check customers for %(store)s")
    return print_job_start(
        owner=by,
        builder=IMPORT_JOB,
        title=title % {"store": store.name},
        params={"store": store.pk, "commit": commit},
        upload=upload.read(),
    )


IMPORT_JOB = "customers.import"


@register_builder(IMPORT_JOB, report_template="customers/_import_report.html")
def customers_import_job(*, job, params, progress) -> dict:
    """The background import: its owner must still be allowed to edit the store's customers."""
    store = Store.objects.get(pk=params["store"])
    require(job.owner, "customers.edit", store)
    result = customers_import(
        store=store,
        upload=io.BytesIO(bytes(job.upload or b"")),
        by=job.owner,
        commit=params["commit"],
        progress=progress,
    )
    return result.as_report()
