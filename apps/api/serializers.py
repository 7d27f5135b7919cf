"""What the API sends and takes. Output only shows what the pages show; input is checked here for
its shape (types, lengths, ranges: hostile input is a 400) and then by the page's own form and the
app's service, so that no rule is written twice."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.checklists.selectors import ChecklistRun, ItemResult, TemplateItem
from apps.customers.selectors import Customer, customer_phones_masked, id_number_masked
from apps.followups.selectors import AttemptResult, FollowUp, SurveyQuestionKind, survey_questions_of
from apps.handovers.selectors import Handover, HandoverLine, HandoverSignature
from apps.roles.selectors import Position
from apps.tickets.selectors import Ticket, TicketEvent

# The largest id a database column holds: a bigger one is a 400, never an overflow in the database.
MAX_ID = 2**63 - 1


def IdField(**kwargs) -> serializers.IntegerField:  # noqa: N802 (a field factory, read as a type)
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def Text(max_length: int = 5000, **kwargs) -> serializers.CharField:  # noqa: N802
    return serializers.CharField(max_length=max_length, **kwargs)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return str(obj)


class StoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- tickets --------------------------------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    store = StoreSerializer(read_only=True)
    customer = NamedSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    priority_display = serializers.CharField(source="get_priority_display", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "title",
            "state",
            "state_display",
            "priority",
            "priority_display",
            "store",
            "customer",
            "assignee",
            "is_major_repair",
            "answer_due_at",
            "answered_at",
            "escalation_level",
            "promised_at",
            "settled_at",
            "on_time",
            "created_at",
            "resolved_at",
            "closed_at",
        ]
        read_only_fields = fields


class TicketEventSerializer(serializers.ModelSerializer):
    by = PersonSerializer(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "kind_display", "at", "by", "text"]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    asset = serializers.IntegerField(source="asset_id", read_only=True, allow_null=True)
    events = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "description", "asset", "events", "transitions"]
        read_only_fields = fields

    @extend_schema_field(TicketEventSerializer(many=True))
    def get_events(self, obj):
        return TicketEventSerializer(self.context.get("events", []), many=True).data

    def get_transitions(self, obj) -> list[str]:
        return sorted(self.context.get("transitions", ()))


class TicketCreateSerializer(serializers.Serializer):
    customer = IdField(help_text=_("The customer's id: a ticket is opened from a customer file."))
    kind = serializers.ChoiceField(choices=Ticket.Kind.choices)
    title = Text(200)
    description = Text(required=False, allow_blank=True, default="")
    asset = IdField(required=False, allow_null=True, help_text=_("A vehicle or product of the customer."))
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, default=Ticket.Priority.NORMAL)
    assignee = IdField(required=False, allow_null=True, help_text=_("A member of the customer's store."))
    promised_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Promised delivery time; required for a repair order.")
    )
    is_major_repair = serializers.BooleanField(required=False, default=False)


class TicketTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Ticket.State.choices, help_text=_("The new state."))
    note = Text(required=False, allow_blank=True, default="")


class TicketCommentSerializer(serializers.Serializer):
    text = Text()


# --- customers ------------------------------------------------------------------------------------


class PhoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text=_("Masked (138****8000)."))
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # the phone's label
    is_primary = serializers.BooleanField(read_only=True)


class CustomerSerializer(serializers.ModelSerializer):
    """A customer file; phones and the ID number are always masked here, as on the pages: only the
    logged reveal shows them in full."""

    store = StoreSerializer(read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    phones = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField(help_text=_("Masked (110***********1234)."))
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "kind",
            "tier",
            "tier_display",
            "contact_person",
            "phones",
            "id_number",
            "address",
            "contact_consent",
            "preferred_channel",
            "store",
            "owner",
            "wishes",
            "notes",
            "anonymised_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, obj):
        return customer_phones_masked(customer=obj)

    def get_id_number(self, obj) -> str:
        return id_number_masked(customer=obj)


class PhoneInputSerializer(serializers.Serializer):
    number = Text(30, help_text=_("A full number, or the masked one as shown to keep a saved number."))
    label = Text(20, required=False, allow_blank=True, default="")  # type: ignore[assignment]


class PhoneListSerializer(serializers.Serializer):
    phones = serializers.ListField(child=PhoneInputSerializer(), min_length=1, max_length=6)


class CustomerWriteSerializer(serializers.Serializer):
    """A customer file as the form takes it; on update, a masked phone or ID number sent back
    unchanged keeps the saved one."""

    store = IdField(required=False, help_text=_("Only when creating: a store where you may edit customers."))
    kind = serializers.ChoiceField(choices=Customer.Kind.choices)
    name = Text(120)
    contact_person = Text(60, required=False, allow_blank=True, default="")
    id_number = Text(40, required=False, allow_blank=True, default="")
    address = Text(250, required=False, allow_blank=True, default="")
    tier = serializers.ChoiceField(choices=Customer.Tier.choices, default=Customer.Tier.NORMAL)
    contact_consent = serializers.BooleanField(required=False, default=True)
    preferred_channel = serializers.ChoiceField(
        choices=Customer.Channel.choices, default=Customer.Channel.PHONE
    )
    owner = IdField(required=False, allow_null=True)
    wishes = Text(required=False, allow_blank=True, default="")
    notes = Text(required=False, allow_blank=True, default="")
    phones = serializers.ListField(child=PhoneInputSerializer(), min_length=1, max_length=6)


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("phone", _("Phone")), ("id_number", _("ID number"))])
    phone = IdField(
        required=False, allow_null=True, help_text=_("Which phone (its id); the first if left out.")
    )


class RevealedSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)


# --- follow-ups -----------------------------------------------------------------------------------


class SurveyQuestionSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=SurveyQuestionKind.choices, read_only=True)


class FollowUpSerializer(serializers.ModelSerializer):
    store = StoreSerializer(read_only=True)
    customer = NamedSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    rule = NamedSerializer(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    survey_questions = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "state",
            "state_display",
            "reason",
            "trigger",
            "trigger_date",
            "window_start",
            "window_end",
            "priority",
            "channel",
            "attempts",
            "talking_points",
            "store",
            "customer",
            "assignee",
            "rule",
            "survey_questions",
        ]
        read_only_fields = fields

    @extend_schema_field(SurveyQuestionSerializer(many=True))
    def get_survey_questions(self, obj):
        return survey_questions_of(followup=obj)


class AttemptInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=AttemptResult.choices)
    callback_at = serializers.DateTimeField(required=False, allow_null=True)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    outcome = Text(required=False, allow_blank=True, default="")
    requests = Text(required=False, allow_blank=True, default="")
    request_answered = serializers.BooleanField(required=False, default=True)
    complaint = Text(required=False, allow_blank=True, default="")
    survey = serializers.ListField(
        child=serializers.CharField(max_length=10, allow_blank=True),
        required=False,
        max_length=50,
        help_text=_(
            'One answer per survey question, in order: a score "1"-"5", "yes" or "no", or "" to skip.'
        ),
    )


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    result = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    tickets = serializers.SerializerMethodField()

    def get_tickets(self, obj) -> list[str]:
        return [t.number for t in obj.tickets.all()]


# --- checklists -----------------------------------------------------------------------------------


class ChecklistRunSerializer(serializers.ModelSerializer):
    template = NamedSerializer(read_only=True)
    store = StoreSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ChecklistRun
        fields = [
            "id",
            "template",
            "store",
            "assignee",
            "date",
            "due_at",
            "state",
            "state_display",
            "item_count",
            "answered_count",
            "failed_count",
            "completed_at",
        ]
        read_only_fields = fields


class ItemResultSerializer(serializers.ModelSerializer):
    answered_by = PersonSerializer(read_only=True)

    class Meta:
        model = ItemResult
        fields = ["ok", "value_number", "value_text", "note", "answered_by", "answered_at"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    result = serializers.SerializerMethodField()

    class Meta:
        model = TemplateItem
        fields = [
            "id",
            "order",
            "text",
            "kind",
            "required",
            "min_value",
            "max_value",
            "expected_count",
            "result",
        ]
        read_only_fields = fields

    @extend_schema_field(ItemResultSerializer(allow_null=True))
    def get_result(self, obj):
        result = self.context.get("results", {}).get(obj.pk)
        return ItemResultSerializer(result).data if result else None


class ChecklistRunDetailSerializer(ChecklistRunSerializer):
    items = serializers.SerializerMethodField()

    class Meta(ChecklistRunSerializer.Meta):
        fields = [*ChecklistRunSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_items(self, obj):
        rows = self.context.get("rows", [])
        results = {item.pk: result for item, result in rows if result is not None}
        return ChecklistItemSerializer(
            [item for item, _r in rows], many=True, context={"results": results}
        ).data


class ItemAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[("ok", _("OK")), ("fail", _("Not OK"))], required=False)
    value = Text(500, required=False, allow_blank=True, default="")
    note = Text(required=False, allow_blank=True, default="")
    confirmer = IdField(
        required=False, allow_null=True, help_text=_("The second person, where the item needs one.")
    )
    confirmer_password = Text(200, required=False, allow_blank=True, default="", trim_whitespace=False)


# --- handovers, positions, KPIs --------------------------------------------------------------------


class HandoverSerializer(serializers.ModelSerializer):
    store = StoreSerializer(read_only=True)
    counter = NamedSerializer(read_only=True)
    outgoing = PersonSerializer(read_only=True)
    incoming = PersonSerializer(read_only=True, allow_null=True)
    witness = PersonSerializer(read_only=True, allow_null=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "store",
            "counter",
            "business_date",
            "state",
            "state_display",
            "outgoing",
            "incoming",
            "witness",
            "period_start",
            "created_at",
        ]
        read_only_fields = fields


class HandoverLineSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.name", read_only=True)
    difference = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = HandoverLine
        fields = ["id", "item", "expected", "counted", "difference", "explanation"]
        read_only_fields = fields


class HandoverSignatureSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = HandoverSignature
        fields = ["role", "user", "signed_at"]
        read_only_fields = fields


class HandoverDetailSerializer(HandoverSerializer):
    lines = HandoverLineSerializer(many=True, read_only=True)
    signatures = HandoverSignatureSerializer(many=True, read_only=True)
    open_matters = serializers.JSONField(read_only=True)

    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "notes", "open_matters", "lines", "signatures"]
        read_only_fields = fields


class PositionSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = ["id", "code", "title", "department", "store_kind", "is_active", "summary"]
        read_only_fields = fields

    def get_summary(self, obj) -> str:
        revision = obj.current_revision
        return getattr(revision, "summary", "") if revision else ""


class KpiSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    higher_is_better = serializers.BooleanField(read_only=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True, allow_null=True)
    display = serializers.CharField(read_only=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, allow_null=True)


class KpiQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", required=False, help_text=_("YYYY-MM; this month if left out.")
    )
    store = IdField(required=False, help_text=_("One of your stores; all you see if left out."))
