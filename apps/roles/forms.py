from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.org.formfields import ModelMultipleChoiceField, PickerSelectMultiple
from apps.org.models import Department, StoreKind
from apps.uploads import archive_check

from .models import Frequency, Position
from .parsing import description_check

TEXTAREA = {"rows": 2}
# Django's own message (and translation) for a NUL character in a CharField.
NUL_MESSAGE = ProhibitNullCharactersValidator.message


class PositionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("position", "Title"), max_length=80)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    store_kind = forms.ChoiceField(
        label=_("Store kind"), choices=[("", "—"), *StoreKind.choices], required=False
    )
    superiors = ModelMultipleChoiceField(
        label=_("Direct superiors"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("More than one is allowed (e.g. 分管副总 and 站长)."),
        widget=PickerSelectMultiple,
    )
    parallels = ModelMultipleChoiceField(
        label=_("Parallel relations"),
        queryset=Position.objects.none(),
        required=False,
        widget=PickerSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary (岗位描述)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    education = forms.CharField(label=_("Education"), max_length=200, required=False)
    experience = forms.CharField(label=_("Experience"), max_length=200, required=False)
    knowledge = forms.CharField(label=_("Knowledge"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    skills = forms.CharField(label=_("Skills"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    personality = forms.CharField(
        label=_("Personality"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    authority = forms.CharField(
        label=_("Authority (管理权限)"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    appointment = forms.CharField(
        label=_("Appointment (任用资格)"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    approver = forms.CharField(label=_("Approver (签发人)"), max_length=60, required=False)
    change_summary = forms.CharField(label=_("Change summary"), max_length=300, required=False)

    def __init__(self, *args, organisation_ids=None, position: Position | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.position = position
        positions = Position.objects.filter(organisation_id__in=organisation_ids).order_by(
            "department__name", "title"
        )
        if position is not None and position.pk:
            positions = positions.exclude(pk=position.pk)
        self.fields["superiors"].queryset = positions
        self.fields["parallels"].queryset = positions
        self.fields["department"].queryset = Department.objects.filter(organisation_id__in=organisation_ids)
        if not self.is_bound and "effective_date" not in self.initial:
            self.initial["effective_date"] = timezone.localdate()

    def remember_shown(self, names) -> None:
        """Send back, hidden, what these fields showed, so `left_as_shown` can tell a field the person
        changed from one they left alone (the import review: a revision keeps what was not touched)."""
        for name in names:
            self.fields[name].show_hidden_initial = True

    def left_as_shown(self, names) -> list[str]:
        return [
            name for name in names if self.fields[name].show_hidden_initial and name not in self.changed_data
        ]

    def clean_superiors(self):
        from .services import check_reporting_lines

        superiors = list(self.cleaned_data["superiors"])
        check_reporting_lines(position=self.position, superiors=superiors)
        return superiors


class DepartmentBookForm(forms.Form):
    """The department whose position descriptions are printed as one book."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())

    def __init__(self, *args, organisation_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation_id__in=organisation_ids)


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the role description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "一、…\n(一)…\n1、…"}),
    )
    file = forms.FileField(label=_("or upload a .docx / .txt file"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith((".docx", ".txt")):
            raise ValidationError(_("Only .docx and .txt files can be read."))
        if upload and upload.name.lower().endswith(".docx"):
            archive_check(upload, max_bytes=settings.ROLES_IMPORT_MAX_DOCX_BYTES)
        return upload

    def clean_text(self):
        return description_check(self.cleaned_data.get("text") or "")

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            raise ValidationError(_("Paste a text or choose a file."))
        return data


class ExcelImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx) exported from DutyDesk"))
    dry_run = forms.BooleanField(label=_("Dry run: check only, save nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an .xlsx file."))
        archive_check(upload)
        return upload


# --- Duties and KPIs: rows named areas-0-name, areas-0-tasks-1-text, kpis-2-target … -------------


PREFIX_RE = re.compile(r"(?:p\d{1,3}-)?")


def _indices(data, pattern: str) -> list[int]:
    rx = re.compile(pattern)
    return sorted({int(m.group(1)) for key in data for m in [rx.match(key)] if m})


class DutiesEditor:
    """The areas with their tasks, and the KPIs, as typed; validated without losing a character."""

    MAX = {"area": 120, "kpi_name": 120, "kpi_target": 60, "kpi_unit": 20}

    def __init__(self, areas: list[dict[str, Any]], kpis: list[dict[str, Any]], prefix: str = ""):
        self.areas = areas
        self.kpis = kpis
        self.errors: list[str] = []
        # "p1-" on the import review page, where each proposed position has its own editor
        self.prefix = prefix if PREFIX_RE.fullmatch(prefix) else ""

    @property
    def dom_id(self) -> str:
        return f"duties-{self.prefix.rstrip('-')}" if self.prefix else "duties"

    @classmethod
    def from_content(cls, content: dict[str, Any], prefix: str = "") -> DutiesEditor:
        areas = [
            {"name": a["name"], "tasks": [dict(t) for t in a["tasks"]], "errors": []}
            for a in content.get("areas", [])
        ]
        kpis = [{**k, "errors": []} for k in content.get("kpis", [])]
        return cls(areas, kpis, prefix)

    @classmethod
    def from_post(cls, data, prefix: str = "") -> DutiesEditor:
        p = prefix if PREFIX_RE.fullmatch(prefix) else ""
        areas = []
        for i in _indices(data, rf"^{p}areas-(\d+)-name$"):
            tasks = [
                {
                    "text": data.get(f"{p}areas-{i}-tasks-{j}-text", ""),
                    "frequency": data.get(f"{p}areas-{i}-tasks-{j}-frequency", Frequency.AS_NEEDED),
                    "errors": [],
                }
                for j in _indices(data, rf"^{p}areas-{i}-tasks-(\d+)-text$")
            ]
            areas.append({"name": data.get(f"{p}areas-{i}-name", ""), "tasks": tasks, "errors": []})
        kpis = [
            {
                "name": data.get(f"{p}kpis-{i}-name", ""),
                "definition": data.get(f"{p}kpis-{i}-definition", ""),
                "target": data.get(f"{p}kpis-{i}-target", ""),
                "unit": data.get(f"{p}kpis-{i}-unit", ""),
                "errors": [],
            }
            for i in _indices(data, rf"^{p}kpis-(\d+)-name$")
        ]
        return cls(areas, kpis, p)

    def apply(self, op: str) -> None:
        """add_area · remove_area:i · up_area:i · down_area:i · add_task:i · remove_task:i:j ·
        up_task:i:j · down_task:i:j · add_kpi · remove_kpi:i (bad ops are ignored)."""
        name, *args = op.split(":")
        try:
            idx = [int(a) for a in args]
            if name == "add_area":
                self.areas.append({"name": "", "tasks": [self._blank_task()], "errors": []})
            elif name == "remove_area":
                del self.areas[idx[0]]
            elif name in ("up_area", "down_area"):
                self._move(self.areas, idx[0], -1 if name == "up_area" else 1)
            elif name == "add_task":
                self.areas[idx[0]]["tasks"].append(self._blank_task())
            elif name == "remove_task":
                del self.areas[idx[0]]["tasks"][idx[1]]
            elif name in ("up_task", "down_task"):
                self._move(self.areas[idx[0]]["tasks"], idx[1], -1 if name == "up_task" else 1)
            elif name == "add_kpi":
                self.kpis.append({"name": "", "definition": "", "target": "", "unit": "", "errors": []})
            elif name == "remove_kpi":
                del self.kpis[idx[0]]
        except (IndexError, ValueError):
            pass

    @staticmethod
    def _blank_task() -> dict[str, Any]:
        return {"text": "", "frequency": Frequency.AS_NEEDED, "errors": []}

    @staticmethod
    def _move(items: list, i: int, step: int) -> None:
        j = i + step
        if 0 <= i < len(items) and 0 <= j < len(items):
            items[i], items[j] = items[j], items[i]

    def is_valid(self) -> bool:
        ok = True
        frequencies = set(Frequency.values)
        for area in self.areas:
            area["errors"] = []
            has_tasks = any(t["text"].strip() for t in area["tasks"])
            if has_tasks and not area["name"].strip():
                area["errors"].append(_("Name this area: it has tasks."))
            if len(area["name"]) > self.MAX["area"]:
                area["errors"].append(_("At most %(n)d characters.") % {"n": self.MAX["area"]})
            if "\x00" in area["name"]:
                area["errors"].append(NUL_MESSAGE)
            for task in area["tasks"]:
                task["errors"] = []
                if task["frequency"] not in frequencies:
                    task["errors"].append(_("Choose a frequency from the list."))
                if "\x00" in task["text"]:
                    task["errors"].append(NUL_MESSAGE)
                ok = ok and not task["errors"]
            ok = ok and not area["errors"]
        for kpi in self.kpis:
            kpi["errors"] = []
            if not kpi["name"].strip() and (kpi["target"].strip() or kpi["definition"].strip()):
                kpi["errors"].append(_("Name this KPI."))
            for key, limit in (("name", "kpi_name"), ("target", "kpi_target"), ("unit", "kpi_unit")):
                if len(kpi[key]) > self.MAX[limit]:
                    kpi["errors"].append(_("At most %(n)d characters.") % {"n": self.MAX[limit]})
            if any("\x00" in kpi[key] for key in ("name", "definition", "target", "unit")):
                kpi["errors"].append(NUL_MESSAGE)
            ok = ok and not kpi["errors"]
        return ok

    def content(self) -> dict[str, Any]:
        return {
            "areas": [
                {
                    "name": a["name"],
                    "tasks": [{"text": t["text"], "frequency": t["frequency"]} for t in a["tasks"]],
                }
                for a in self.areas
            ],
            "kpis": [{k: kpi[k] for k in ("name", "definition", "target", "unit")} for kpi in self.kpis],
        }

    @property
    def frequency_choices(self):
        return Frequency.choices


# --- The import review: what links one proposed position to the others and to existing ones -----

RELATION_KINDS = {
    "superiors": _("Direct superior"),
    "subordinates": _("Direct subordinate"),
    "parallels": _("Parallel relation"),
}


def _lines(value: str, limit: int = 200) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()][:limit]


class ImportLinksForm(forms.Form):
    """One proposed position on the import review page (prefix p0, p1 …), beside its PositionForm.

    Names a description gives for its superiors, subordinates and parallel posts are matched with
    the other proposed positions (internal_*) and with existing positions; the names left over get
    a picker each (resolve_<n>). The checklist templates a SOP proposes are accepted per phase.
    """

    include = forms.BooleanField(
        label=_("Save this position"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    target = forms.ModelChoiceField(
        label=_("Save as"),
        queryset=Position.objects.none(),
        required=False,
        empty_label=_("a new position"),
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm w-auto", "data-testid": "import-target"}
        ),
    )
    internal_superiors = forms.TypedMultipleChoiceField(
        label=_("Reports to (in this document)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    internal_parallels = forms.TypedMultipleChoiceField(
        label=_("Parallel to (in this document)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subordinates = forms.ModelMultipleChoiceField(
        label=_("Direct subordinates (existing positions)"),
        queryset=Position.objects.none(),
        required=False,
        widget=PickerSelectMultiple,
    )
    unresolved = forms.CharField(required=False, widget=forms.HiddenInput)
    pay = forms.CharField(required=False, widget=forms.HiddenInput)
    checklists = forms.MultipleChoiceField(
        label=_("Create the proposed checklist templates"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, index: int, titles: list[str], positions, phases=(), **kwargs):
        from .checklist_proposals import PHASE_LABELS

        super().__init__(*args, prefix=f"p{index}", **kwargs)
        self.index = index
        others = [(j, title or "—") for j, title in enumerate(titles) if j != index]
        self.fields["internal_superiors"].choices = others
        self.fields["internal_parallels"].choices = others
        self.fields["target"].queryset = positions
        self.fields["subordinates"].queryset = positions
        for phase in PHASE_LABELS:
            self.fields[f"checklist_{phase}"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["checklists"].choices = [(p, label) for p, label in PHASE_LABELS.items() if p in phases]
        for n, (kind, name) in enumerate(self.unresolved_names()):
            self.fields[f"resolve_{n}"] = forms.ModelChoiceField(
                label=f"{RELATION_KINDS[kind]}: {name}",
                queryset=positions,
                required=False,
                empty_label=_("— leave unlinked (kept in the notes) —"),
            )

    def _raw(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def unresolved_names(self) -> list[tuple[str, str]]:
        pairs = [line.split("\t", 1) for line in _lines(self._raw("unresolved"), 30)]
        return [
            (kind, name[:40]) for kind, name in (p for p in pairs if len(p) == 2) if kind in RELATION_KINDS
        ]

    def resolve_fields(self):
        return [self[f"resolve_{n}"] for n in range(len(self.unresolved_names()))]

    def checklist_items(self, phase: str) -> list[str]:
        return _lines(self._raw(f"checklist_{phase}"))

    def pay_lines(self) -> list[str]:
        return _lines(self._raw("pay"), 50)

    def resolved(self, kind: str) -> list[Position]:
        """The existing positions the reviewer picked for the names of one relation kind."""
        return [
            self.cleaned_data[f"resolve_{n}"]
            for n, (k, _name) in enumerate(self.unresolved_names())
            if k == kind and self.cleaned_data.get(f"resolve_{n}")
        ]
