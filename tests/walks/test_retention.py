"""Kept records (logs, locked and signed documents, the audit history) are never deleted.

The kinds come from the model registry (`never_deleted` on the model, every `Historical…` table:
see `apps.org.retention`), the admins from `admin.site`; a new model that opts in is walked the day
it lands. Rows come from the demo; the few kinds the demo has none of in their kept state are made
here (`MAKERS`), and a kind with neither fails, asking for one.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.handovers.models import ImmutableError
from apps.org.retention import (
    always_kept,
    archivable,
    is_history_model,
    is_kept,
    kept_models,
    kept_rows,
)

APP_MODELS = [m for m in apps.get_models() if m.__module__.startswith("apps.")]
KEPT = kept_models(APP_MODELS)
REFUSED = (ProtectedError, DatabaseError, ValidationError, ImmutableError)


def _label(model):
    return model._meta.label


def _pii_access(demo):
    from apps.customers.models import Customer
    from apps.customers.services import customer_reveal_pii

    customer = Customer.objects.filter(phones__isnull=False).first()
    customer_reveal_pii(user=demo.users["admin"], customer=customer, field="phone")


def _locked_pay_sheet(demo):
    from apps.targets.models import PaySheet

    PaySheet.objects.filter(pk=PaySheet.objects.first().pk).update(
        state=PaySheet.State.LOCKED, locked_at=timezone.now(), locked_by=demo.users["manager"]
    )


def _send_log(demo):
    from apps.followups.models import Reminder, SendLog

    reminder = Reminder.objects.first()
    SendLog.objects.create(
        reminder=reminder, user=demo.users["aftersales"], channel="inapp", key=f"retention:{reminder.pk}"
    )


def _amendment(demo):
    from apps.handovers.models import Handover, HandoverAmendment

    handover = Handover.objects.filter(state="accepted").first()
    HandoverAmendment.objects.create(
        handover=handover,
        number=1,
        line=handover.lines.first(),
        counted=1,
        reason="recount",
        proposed_by=handover.incoming,
        proposed_at=timezone.now(),
    )


def _history_row(model):
    """Any saved instance of the tracked model writes one."""
    instance = model.instance_type._base_manager.first()
    if instance is not None:
        instance.save()


def _approved_plan_attachment(demo):
    from apps.targets.models import PlanAttachment, TargetPlan

    plan = TargetPlan.objects.filter(state=TargetPlan.State.APPROVED).first()
    # bulk_create: the row of a plan approved with it (save() refuses a new row on an approved plan)
    PlanAttachment.objects.bulk_create(
        [PlanAttachment(plan=plan, label="附件2", name="人员编制计划.pdf", file="targets/plans/x.pdf")]
    )


MAKERS = {
    "customers.PiiAccessLog": _pii_access,
    "targets.PaySheet": _locked_pay_sheet,
    "followups.SendLog": _send_log,
    "handovers.HandoverAmendment": _amendment,
    "targets.PlanAttachment": _approved_plan_attachment,
}


def _kept_row(model, demo):
    rows = model._base_manager.filter(kept_rows(model))
    if not rows.exists():
        if is_history_model(model) and hasattr(model, "instance_type"):
            _history_row(model)
        elif _label(model) in MAKERS:
            MAKERS[_label(model)](demo)
    row = rows.order_by("pk").first()
    if row is None:
        pytest.fail(f"no kept row of {_label(model)}: seed one in the demo or add a maker to MAKERS")
    return row


def test_the_kept_kinds_cover_the_logs_and_the_locked_and_signed_records():
    """A guard against the registry going quietly empty: the kinds named in #10 are all declared."""
    labels = {_label(m) for m in KEPT}
    assert {
        "targets.PaySheet",
        "targets.TargetPlan",
        "targets.ResponsibilityLetter",
        "handovers.Handover",
        "handovers.HandoverSignature",
        "handovers.HandoverAmendment",
        "checklists.ItemResult",
        "tickets.TicketEvent",
        "customers.PiiAccessLog",
        "followups.SendLog",
        "followups.Attempt",
        "tickets.HistoricalTicket",
        "customers.HistoricalCustomer",
    } <= labels


@pytest.mark.parametrize("model", [m for m in KEPT if always_kept(m)], ids=_label)
def test_a_record_kept_whole_never_cascades_from_its_parent(model):
    """Deleting the parent must fail (PROTECT), not take the log or signature away with it."""
    cascading = [
        f.name
        for f in model._meta.get_fields()
        if f.many_to_one and f.concrete and f.remote_field.on_delete is models.CASCADE
    ]
    assert cascading == [], f"{_label(model)}: use on_delete=PROTECT for {cascading}"


@pytest.mark.parametrize("model", [m for m in KEPT if not always_kept(m)], ids=_label)
def test_a_record_kept_in_a_state_cascades_only_from_a_parent_kept_alike(model):
    """A draft child may go with its draft parent; once kept, the parent's own guard stops the cascade."""
    cascading = [
        f.name
        for f in model._meta.get_fields()
        if f.many_to_one
        and f.concrete
        and f.remote_field.on_delete is models.CASCADE
        and kept_rows(f.related_model) is None
    ]
    assert cascading == [], f"{_label(model)}: use on_delete=PROTECT for {cascading}"


@pytest.mark.parametrize("model", KEPT, ids=_label)
def test_every_kept_kind_has_the_delete_guard_connected(model):
    assert pre_delete.has_listeners(model)


@pytest.mark.parametrize("model", KEPT, ids=_label)
def test_a_kept_record_cannot_be_deleted_through_the_orm(demo, db, model):
    if is_history_model(model) and not model.instance_type._base_manager.exists():
        return  # nothing in the demo to have history of (e.g. campaigns): the guard test covers it
    row = _kept_row(model, demo)
    attempts = {
        "instance": lambda: model._base_manager.get(pk=row.pk).delete(),
        "queryset": lambda: model._base_manager.filter(pk=row.pk).delete(),
    }
    for how, delete in attempts.items():
        with pytest.raises(REFUSED), transaction.atomic():
            delete()
        assert model._base_manager.filter(pk=row.pk).exists(), how


KEPT_ADMINS = [(m, a) for m, a in admin.site._registry.items() if kept_rows(m) is not None]
INLINES = [
    (parent, inline)
    for parent, model_admin in admin.site._registry.items()
    for inline in model_admin.inlines
    if kept_rows(inline.model) is not None
]


def _superuser_request(demo):
    request = RequestFactory().get("/admin/")
    request.user = demo.users["admin"]
    assert request.user.is_superuser
    return request


def test_the_admin_walk_finds_the_kept_kinds_registered_there():
    labels = {_label(m) for m, _admin in KEPT_ADMINS} | {_label(i.model) for _p, i in INLINES}
    assert {"targets.PaySheet", "customers.PiiAccessLog", "tickets.TicketEvent"} <= labels


@pytest.mark.parametrize(("model", "model_admin"), KEPT_ADMINS, ids=lambda x: getattr(x, "__name__", ""))
def test_the_admin_offers_no_delete_of_a_kept_record_even_to_a_superuser(demo, db, model, model_admin):
    request = _superuser_request(demo)
    row = _kept_row(model, demo)
    assert is_kept(row)
    assert not model_admin.has_delete_permission(request, row)
    if always_kept(model):
        assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    client = demo.client("admin")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model._base_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("parent", "inline"), INLINES, ids=lambda x: getattr(x, "__name__", ""))
def test_kept_rows_shown_inline_have_no_delete_box(demo, db, parent, inline):
    request = _superuser_request(demo)
    parent_row = parent._base_manager.first()
    assert not inline(parent, admin.site).has_delete_permission(request, parent_row)


ARCHIVABLE_ADMINS = [(m, a) for m, a in admin.site._registry.items() if archivable(m)]
ARCHIVABLE_INLINES = [
    (parent, inline)
    for parent, model_admin in admin.site._registry.items()
    for inline in model_admin.inlines
    if archivable(inline.model)
]


def test_the_admin_walk_finds_the_archivable_kinds_registered_there():
    labels = {_label(m) for m, _admin in ARCHIVABLE_ADMINS} | {
        _label(i.model) for _p, i in ARCHIVABLE_INLINES
    }
    assert {"org.Store", "org.Membership", "followups.FollowUpRule", "checklists.ChecklistTemplate"} <= labels


@pytest.mark.parametrize(
    ("model", "model_admin"), ARCHIVABLE_ADMINS, ids=lambda x: getattr(x, "__name__", "")
)
def test_the_admin_archives_what_has_history_and_an_active_flag_instead_of_deleting_it(
    demo, db, model, model_admin
):
    request = _superuser_request(demo)
    row = model._base_manager.order_by("pk").first()
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, row)
    actions = model_admin.get_actions(request)
    assert "delete_selected" not in actions and "archive_selected" in actions


@pytest.mark.parametrize(("parent", "inline"), ARCHIVABLE_INLINES, ids=lambda x: getattr(x, "__name__", ""))
def test_archivable_rows_shown_inline_have_no_delete_box(demo, db, parent, inline):
    request = _superuser_request(demo)
    assert not inline(parent, admin.site).has_delete_permission(request, parent._base_manager.first())


def test_archiving_from_the_admin_switches_the_record_off_and_records_who_did_it(demo, db):
    from apps.followups.models import FollowUpRule

    rule = FollowUpRule.objects.filter(is_active=True).order_by("pk").first()
    changelist = reverse("admin:followups_followuprule_changelist")
    response = demo.client("admin").post(
        changelist, {"action": "archive_selected", "_selected_action": [rule.pk]}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is False
    latest = rule.history.latest()
    assert latest.is_active is False and latest.history_user == demo.users["admin"]


def test_a_ticket_with_events_is_closed_not_deleted(demo, db):
    from apps.tickets.models import Ticket

    ticket = Ticket.objects.filter(events__isnull=False).first()
    with pytest.raises(ProtectedError), transaction.atomic():
        ticket.delete()
    assert ticket.events.exists()


def test_a_draft_pay_sheet_may_still_be_deleted_so_the_guard_is_not_blanket(demo, db):
    from apps.targets.models import PaySheet

    draft = PaySheet.objects.filter(state=PaySheet.State.DRAFT).first()
    assert not is_kept(draft)
    url = reverse("admin:targets_paysheet_delete", args=[draft.pk])
    assert demo.client("admin").get(url).status_code == 200
    draft.delete()
    assert not PaySheet.objects.filter(pk=draft.pk).exists()


@pytest.mark.postgres
def test_the_database_refuses_to_delete_or_change_the_personal_data_access_log(demo, db):
    """Raw SQL, past the ORM: the PostgreSQL trigger of customers 0005 refuses it."""
    from django.db import connection

    from apps.customers.models import PiiAccessLog

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite only UPDATE is refused in the database")
    row = _kept_row(PiiAccessLog, demo)
    table = PiiAccessLog._meta.db_table
    for sql, params in (
        (f"DELETE FROM {table} WHERE id = %s", [row.pk]),
        (f"UPDATE {table} SET field = 'x' WHERE id = %s", [row.pk]),
        (f"UPDATE {table} SET at = %s WHERE id = %s", [timezone.now() - dt.timedelta(days=1), row.pk]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert PiiAccessLog.objects.get(pk=row.pk).field == "phone"


def test_the_database_refuses_to_change_the_personal_data_access_log_on_sqlite_too(demo, db):
    from django.db import connection

    from apps.customers.models import PiiAccessLog

    row = _kept_row(PiiAccessLog, demo)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {PiiAccessLog._meta.db_table} SET field = 'x' WHERE id = %s", [row.pk])
    assert PiiAccessLog.objects.get(pk=row.pk).field == "phone"
