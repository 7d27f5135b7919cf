from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.customers.selectors import customer_tier_choices
from apps.org.formfields import ModelMultipleChoiceField
from apps.org.models import VEHICLE_STORE_KINDS, StoreKind
from apps.roles.selectors import positions_of
from apps.tickets.selectors import ticket_kind_choices

from .models import Attempt, Campaign, FollowUpRule, Trigger
from .surveys import SCORE_CHOICES, YES_NO_CHOICES, QuestionKind, question_from_line, questions


class AttemptForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Attempt.Result.choices, widget=forms.RadioSelect)
    callback_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *SCORE_CHOICES],
    )
    outcome = forms.CharField(label=_("Call notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requests = forms.CharField(
        label=_("Customer requests"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    request_answered = forms.BooleanField(
        label=_("Request answered on the spot"), required=False, initial=True
    )
    complaint = forms.CharField(
        label=_("Complaint"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, survey_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey_questions = questions(survey_items)
        for i, question in enumerate(self.survey_questions):
            if question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(
                    label=question.text, required=False, choices=YES_NO_CHOICES, widget=forms.RadioSelect
                )
            else:
                field = forms.TypedChoiceField(
                    label=question.text,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—"), *SCORE_CHOICES],
                )
            self.fields[f"survey_{i}"] = field
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result == Attempt.Result.CALL_BACK:
            at = data.get("callback_at")
            if not at:
                self.add_error("callback_at", _("Say when to call back."))
            elif at <= timezone.now():
                self.add_error("callback_at", _("Pick a time in the future."))
        if result == Attempt.Result.REACHED and data.get("satisfaction") is None:
            self.add_error("satisfaction", _("Ask the customer for a score from 1 to 5."))
        return data

    def survey(self) -> dict:
        """Question text → the score (int) or "yes" / "no"; unanswered questions are left out."""
        return {
            question.text: self.cleaned_data.get(f"survey_{i}")
            for i, question in enumerate(self.survey_questions)
            if self.cleaned_data.get(f"survey_{i}") not in (None, "")
        }


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class BulkAssignForm(forms.Form):
    """The follow-ups ticked in the queue and the person to take them, all within what the user may
    assign; the person must work in the store of every ticked follow-up."""

    MAX = 500

    ids = ModelMultipleChoiceField(queryset=None)
    assignee = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, followups, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = followups
        self.fields["assignee"].queryset = users

    def clean_ids(self):
        followups = list(self.cleaned_data["ids"])
        if len(followups) > self.MAX:
            raise forms.ValidationError(_("At most %(n)d follow-ups at a time.") % {"n": self.MAX})
        return followups

    def clean(self):
        data = super().clean()
        followups, assignee = data.get("ids"), data.get("assignee")
        if followups and assignee:
            from .selectors import assignable_users

            one_per_store = {f.store_id: f for f in followups}.values()
            if not all(
                assignable_users(store=f.store).filter(pk=assignee.pk).exists() for f in one_per_store
            ):
                raise forms.ValidationError(
                    _("That person does not work in the store of every ticked follow-up.")
                )
        return data


class RuleForm(forms.ModelForm):
    tiers = forms.MultipleChoiceField(
        label=_("Customer tiers"),
        choices=customer_tier_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ticket_kinds = forms.MultipleChoiceField(
        label=_("Ticket kinds"),
        choices=ticket_kind_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    store_kinds = forms.MultipleChoiceField(
        label=_("Store kinds"),
        choices=StoreKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of store whose customers this rule calls (none ticked: every kind)."),
    )
    survey_items_text = forms.CharField(
        label=_("Survey items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One question a line; end it with “| 是/否” for a yes / no question or “| 1-5” for a score."
        ),
    )
    retry_text = forms.CharField(
        label=_("Retry ladder (hours)"), required=False, help_text=_("e.g. 2, 24, 48"), initial="2, 24, 48"
    )

    class Meta:
        model = FollowUpRule
        fields = [
            "code",
            "name",
            "is_active",
            "trigger",
            "tiers",
            "ticket_kinds",
            "asset_kind",
            "store_kinds",
            "store",
            "window_start_days",
            "window_end_days",
            "grace_days",
            "period_months",
            "channel",
            "assignee_policy",
            "position",
            "priority",
            "talking_points",
            "survey_name",
            "next_rule",
            "skip_if_open_order",
        ]
        widgets = {"talking_points": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation=None, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["store"].queryset = stores
        # The vocabulary of the editor's kinds of store only (no 委托书 or vehicles at a hall).
        kinds = set(stores.values_list("kind", flat=True)) if stores is not None else set(StoreKind.values)
        cast(forms.ChoiceField, self.fields["store_kinds"]).choices = [
            c for c in StoreKind.choices if c[0] in kinds
        ]
        cast(forms.ChoiceField, self.fields["ticket_kinds"]).choices = ticket_kind_choices(kinds)
        if not kinds & VEHICLE_STORE_KINDS:
            cast(forms.ChoiceField, self.fields["asset_kind"]).choices = [
                ("", "---------"),
                ("product", _("Product")),
            ]
            cast(forms.ChoiceField, self.fields["trigger"]).choices = [
                (value, _("Product delivered") if value == Trigger.DELIVERED else label)
                for value, label in Trigger.choices
                if value != Trigger.MAJOR_REPAIR_CLOSED
            ]
        self.fields["position"].queryset = positions_of(organisation=organisation)
        self.fields["next_rule"].queryset = FollowUpRule.objects.filter(organisation=organisation).exclude(
            pk=self.instance.pk
        )
        if self.instance.pk:
            self.fields["survey_items_text"].initial = "\n".join(
                q.as_line() for q in questions(self.instance.survey_items)
            )
            self.fields["retry_text"].initial = ", ".join(str(h) for h in self.instance.retry_hours)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = FollowUpRule.objects.filter(organisation=self.organisation, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("Another rule already has this code."))
        return code

    def clean_retry_text(self):
        raw = self.cleaned_data.get("retry_text", "").replace("，", ",")
        try:
            hours = [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Whole numbers of hours, separated by commas.")) from None
        if any(h <= 0 or h > 24 * 30 for h in hours):
            raise forms.ValidationError(_("Each step is between 1 hour and 30 days."))
        return hours

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start_days"), data.get("window_end_days")
        if start is not None and end is not None and end < start:
            self.add_error("window_end_days", _("The window cannot close before it opens."))
        if data.get("assignee_policy") == "position" and not data.get("position"):
            self.add_error("position", _("Choose the position."))
        if data.get("trigger") == Trigger.CHAIN and self.instance.pk is None and not data.get("code"):
            pass
        return data

    def survey_items(self) -> list[dict]:
        lines = self.cleaned_data.get("survey_items_text", "").splitlines()
        return [q.as_json() for q in map(question_from_line, lines) if q is not None]

    def retry_hours(self) -> list[int]:
        return self.cleaned_data.get("retry_text") or []


class CampaignForm(forms.ModelForm):
    """The campaign itself; its customers are picked with the customer filters (apps.customers)."""

    class Meta:
        model = Campaign
        fields = ["store", "name", "kind", "event_date", "venue", "letter_body"]
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}),
            "letter_body": forms.Textarea(attrs={"rows": 5}),
        }

    shortened = forms.BooleanField(
        label=_("Shortened schedule: invite from today when two weeks ahead has passed"),
        required=False,
    )

    def __init__(self, *args, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_event_date(self):
        day = self.cleaned_data["event_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The event date has passed."))
        return day
