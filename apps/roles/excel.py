"""All positions to one Excel sheet with Chinese headers, and back again (dry run: row-by-row report).

The import runs in one transaction: a dry run, or a run with any bad row, rolls everything back, so
the report is exactly what a real run would do and a bad sheet never half-applies.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.org.models import Department, StoreKind
from apps.spreadsheets import cell_date, cell_text, safe_cell
from apps.uploads import archive_check

from . import services
from .models import Frequency, Position

COLUMNS = [
    ("code", "编号"),
    ("title", "岗位名称"),
    ("department", "部门"),
    ("store_kind", "适用门店类型"),
    ("superiors", "直接上级(编号)"),
    ("parallels", "平行岗位(编号)"),
    ("summary", "岗位描述"),
    ("education", "教育水平"),
    ("experience", "经验"),
    ("knowledge", "知识"),
    ("skills", "技能技巧"),
    ("personality", "性格"),
    ("authority", "管理权限"),
    ("appointment", "任用资格"),
    ("duties", "工作职责"),
    ("kpis", "考核指标"),
    ("notes", "备注"),
    ("effective_date", "生效日期"),
    ("approver", "签发人"),
    ("revision", "修订号"),
]
HEADER_TO_KEY = {header: key for key, header in COLUMNS}
FREQ_ZH = {
    Frequency.PER_SHIFT: "每班",
    Frequency.DAILY: "每日",
    Frequency.WEEKLY: "每周",
    Frequency.MONTHLY: "每月",
    Frequency.AS_NEEDED: "按需",
}
ZH_FREQ = {v: k for k, v in FREQ_ZH.items()}
KIND_ZH = {
    StoreKind.BUSINESS_HALL: "营业厅",
    StoreKind.SERVICE_STATION: "服务站",
    StoreKind.BANK_BRANCH: "银行网点",
    StoreKind.BACK_OFFICE: "后台部门",
}
ZH_KIND = {v: k for k, v in KIND_ZH.items()}
SEP = re.compile(r"[、,，;；\s]+")


def duties_to_cell(areas: list[dict]) -> str:
    lines = []
    for area in areas:
        lines.append(f"【{area['name']}】")
        lines.extend(f"- {t['text']} 〔{FREQ_ZH.get(t['frequency'], '按需')}〕" for t in area["tasks"])
    return "\n".join(lines)


def duties_from_cell(text: str) -> list[dict]:
    areas: list[dict] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.fullmatch(r"【(.+)】", line)
        if m:
            areas.append({"name": m.group(1).strip(), "tasks": []})
            continue
        if not areas:
            areas.append({"name": "岗位职责", "tasks": []})
        line = re.sub(r"^[-•·]\s*", "", line)
        freq = Frequency.AS_NEEDED
        fm = re.search(r"\s*〔(.+?)〕$", line)
        if fm:
            if fm.group(1) not in ZH_FREQ:
                raise ValidationError(_("Unknown frequency 〔%(f)s〕.") % {"f": fm.group(1)})
            freq = ZH_FREQ[fm.group(1)]
            line = line[: fm.start()].strip()
        areas[-1]["tasks"].append({"text": line, "frequency": freq})
    return areas


def kpis_to_cell(kpis: list[dict]) -> str:
    return "\n".join("｜".join([k["name"], k["target"], k["unit"], k["definition"]]) for k in kpis)


def kpis_from_cell(text: str) -> list[dict]:
    kpis = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[｜|]", line)] + ["", "", "", ""]
        kpis.append(
            {
                "name": parts[0],
                "target": parts[1],
                "unit": parts[2],
                "definition": "｜".join(p for p in parts[3:] if p),
            }
        )
    return kpis


def export_workbook(positions) -> bytes:
    # openpyxl loads in the function, not with the URL modules: a process that only resolves URLs
    # (the reminder batches) does not pay for it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "岗位"
    ws.append([header for _key, header in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
    positions = list(
        positions.prefetch_related("parallels", "current_revision__areas__tasks", "current_revision__kpis")
    )
    for p in positions:
        rev = p.current_revision
        content = (
            services.revision_content(rev)
            if rev
            else dict.fromkeys(services.CONTENT_FIELDS, "") | {"areas": [], "kpis": []}
        )
        row = {
            "code": p.code,
            "title": p.title,
            "department": p.department.name if p.department else "",
            "store_kind": KIND_ZH.get(p.store_kind, ""),
            "superiors": "、".join(s.code for s in p.superiors.all()),
            "parallels": "、".join(s.code for s in p.parallels.all()),
            "duties": duties_to_cell(content["areas"]),
            "kpis": kpis_to_cell(content["kpis"]),
            "effective_date": rev.effective_date if rev else None,
            "approver": rev.approver if rev else "",
            "revision": rev.number if rev else None,
            **{name: content[name] for name in services.CONTENT_FIELDS if name != "title"},
        }
        ws.append([safe_cell(row.get(key)) for key, _header in COLUMNS])
    widths = {"title": 16, "summary": 40, "duties": 60, "kpis": 30, "notes": 30}
    for i, (key, _header) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(key, 14)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class RowResult:
    row: int
    code: str
    title: str
    action: str = ""  # create / revise / unchanged
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # sheet-level
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "c": sum(r.action == "create" for r in self.rows),
            "r": sum(r.action == "revise" for r in self.rows),
            "u": sum(r.action == "unchanged" for r in self.rows),
        }


class _Rollback(Exception):
    pass


_text = cell_text


def _date(value) -> dt.date | None:
    try:
        return cell_date(value)
    except ValueError:
        raise ValidationError(_("Effective date %(v)s is not a date (YYYY-MM-DD).") % {"v": value}) from None


def import_workbook(file, *, organisation, author, dry_run: bool = True) -> ImportReport:
    from openpyxl import load_workbook

    report = ImportReport(dry_run=dry_run)
    try:
        archive_check(file)
    except ValidationError as exc:
        report.errors.extend(exc.messages)
        return report
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception:
        report.errors.append(_("This is not an Excel workbook (.xlsx)."))
        return report
    # The header and at most ROLES_IMPORT_MAX_ROWS rows; one more means the sheet is too long.
    limit = settings.ROLES_IMPORT_MAX_ROWS
    try:
        rows = list(islice(ws.iter_rows(values_only=True), limit + 2))
    except Exception:
        report.errors.append(_("This is not an Excel workbook (.xlsx)."))
        return report
    finally:
        wb.close()
    if len(rows) > limit + 1:
        report.errors.append(
            _("The sheet has more than %(max)s rows; import at most %(max)s rows at a time.") % {"max": limit}
        )
        return report
    if not rows:
        report.errors.append(_("The sheet is empty."))
        return report
    header = [_text(h) for h in rows[0]]
    index = {HEADER_TO_KEY[h]: i for i, h in enumerate(header) if h in HEADER_TO_KEY}
    missing = [h for key, h in COLUMNS if key in ("title",) and key not in index]
    if missing:
        report.errors.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
        return report
    departments = {d.name: d for d in Department.objects.filter(organisation=organisation)}
    departments.update({d.code: d for d in departments.values()})

    try:
        with transaction.atomic():
            pending = []  # (result, position, data, is_new)
            for n, values in enumerate(rows[1:], start=2):
                cell = {key: values[i] if i < len(values) else None for key, i in index.items()}
                if all(_text(v) == "" for v in cell.values()):
                    continue
                result = RowResult(row=n, code=_text(cell.get("code")), title=_text(cell.get("title")))
                report.rows.append(result)
                try:
                    data = _row_data(cell, departments)
                except ValidationError as exc:
                    result.errors.extend(exc.messages)
                    continue
                position = None
                if result.code:
                    position = Position.objects.filter(code=result.code).first()
                    if position is not None and position.organisation_id != organisation.pk:
                        result.errors.append(
                            _("Document number %(code)s belongs to another organisation.")
                            % {"code": result.code}
                        )
                        continue
                try:
                    with transaction.atomic():
                        if position is None:
                            position = services.position_create(
                                organisation=organisation,
                                code=result.code,
                                author=author,
                                change_summary=_("Imported from Excel"),
                                **data["common"],
                            )
                            result.code = position.code
                            result.action = "create"
                        pending.append((result, position, data))
                except ValidationError as exc:
                    result.errors.extend(exc.messages)
            codes = {p.code: p for p in Position.objects.filter(organisation=organisation)}
            for result, position, data in pending:
                try:
                    sups = [codes[c] if c in codes else _missing(c) for c in data["superiors"]]
                    pars = [codes[c] if c in codes else _missing(c) for c in data["parallels"]]
                    with transaction.atomic():
                        if result.action == "create":
                            services.check_reporting_lines(position=position, superiors=sups)
                            position.superiors.set(sups)
                            position.parallels.set(pars)
                            rev = position.current_revision
                            rev.relations = services._relations_snapshot(position)
                            rev.save(update_fields=["relations"])
                        else:
                            revision = services.position_revise(
                                position=position,
                                superiors=sups,
                                parallels=pars,
                                author=author,
                                change_summary=_("Imported from Excel"),
                                **data["common"],
                            )
                            result.action = "revise" if revision else "unchanged"
                except ValidationError as exc:
                    result.errors.extend(exc.messages)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _missing(code: str):
    raise ValidationError(_("No position with document number %(code)s.") % {"code": code})


def _row_data(cell: dict, departments: dict) -> dict:
    errors: list[str] = []
    title = _text(cell.get("title"))
    if not title:
        errors.append(_("The title is empty."))
    dept_name = _text(cell.get("department"))
    department = departments.get(dept_name) if dept_name else None
    if dept_name and department is None:
        errors.append(_("Unknown department %(d)s.") % {"d": dept_name})
    kind_text = _text(cell.get("store_kind"))
    kind = ZH_KIND.get(kind_text, kind_text if kind_text in StoreKind.values else None)
    if kind_text and kind is None:
        errors.append(_("Unknown store kind %(k)s.") % {"k": kind_text})
    effective_date = None
    try:
        effective_date = _date(cell.get("effective_date"))
        areas = duties_from_cell(_text(cell.get("duties")))
    except ValidationError as exc:
        errors.extend(exc.messages)
        areas = []
    kpis = kpis_from_cell(_text(cell.get("kpis")))
    for key, limit in (("title", 80), ("education", 200), ("experience", 200), ("approver", 60)):
        if len(_text(cell.get(key))) > limit:
            errors.append(_("%(col)s: at most %(n)d characters.") % {"col": dict(COLUMNS)[key], "n": limit})
    if errors:
        raise ValidationError(errors)
    content = {name: _text(cell.get(name)) for name in services.CONTENT_FIELDS}
    content["areas"] = areas
    content["kpis"] = kpis
    return {
        "common": {
            "content": content,
            "department": department,
            "store_kind": kind or "",
            "effective_date": effective_date,
            "approver": _text(cell.get("approver")),
        },
        "superiors": [c for c in SEP.split(_text(cell.get("superiors"))) if c],
        "parallels": [c for c in SEP.split(_text(cell.get("parallels"))) if c],
    }
