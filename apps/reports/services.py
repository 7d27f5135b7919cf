"""Writes on the weekly reports: save the draft, submit it (freezing its figures), return or accept it.

Nobody reviews a report they submitted: the superior (`reports.review`, the organisation's admins)
does. Every rule raises `ValidationError` with a message for the person.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.services import Message, notification_send, notifications_send_many
from apps.org.access import people_who_can, require
from apps.org.models import Store, StoreKind, User

from .models import ActionStatus, CorrectiveAction, ReportState, WeeklyReport
from .sections import as_data, sections_for
from .selectors import due_on, week_start
from .submissions import report_submitted

EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def report_save(*, by: User, store: Store, monday: dt.date, summary: str, plans: str = "") -> WeeklyReport:
    require(by, "reports.write", store)
    if week_start(monday) != monday:
        raise ValidationError(_("A weekly report starts on a Monday."))
    if monday > timezone.localdate():
        raise ValidationError(_("This week has not started yet."))
    with transaction.atomic():
        report, _created = WeeklyReport.objects.select_for_update().get_or_create(
            store=store, week_start=monday, defaults={"due_on": due_on(monday)}
        )
        if report.state not in EDITABLE:
            raise ValidationError(_("This report has been submitted and can no longer be changed."))
        report.summary, report.plans = summary.strip(), plans.strip()
        report.save(update_fields=["summary", "plans"])
    return report


def report_submit(*, by: User, report: WeeklyReport) -> WeeklyReport:
    require(by, "reports.write", report.store)
    if not report.summary.strip():
        raise ValidationError({"summary": _("Write the summary of the week before submitting.")})
    with transaction.atomic():
        locked = WeeklyReport.objects.select_for_update().get(pk=report.pk)
        if locked.state not in EDITABLE:
            raise ValidationError(_("This report has been submitted and can no longer be changed."))
        start = locked.week_start
        locked.figures = as_data(sections_for(locked.store, start, start + dt.timedelta(days=6)))
        locked.state = ReportState.SUBMITTED
        locked.submitted_by, locked.submitted_at = by, timezone.now()
        locked.save(update_fields=["figures", "state", "submitted_by", "submitted_at"])
        report_submitted(store_id=locked.store_id, week_start=start, by_id=by.pk, at=locked.submitted_at)
    reviewers = [u for u in people_who_can("reports.review", locked.store) if u.pk != by.pk]
    notifications_send_many(
        recipients=reviewers,
        key=f"weekly-report-{locked.pk}-submitted-{locked.submitted_at:%Y%m%d%H%M%S}",
        title=Message(
            gettext_noop("Weekly report of %(store)s for the week from %(date)s is waiting for you"),
            store=locked.store.name,
            date=f"{start:%Y-%m-%d}",
        ),
        url=locked.get_absolute_url(),
        store=locked.store,
        source="reports",
    )
    return locked


def _review(*, by: User, report: WeeklyReport, state: str, comment: str) -> WeeklyReport:
    require(by, "reports.review", report.store)
    with transaction.atomic():
        locked = WeeklyReport.objects.select_for_update().get(pk=report.pk)
        if locked.submitted_by_id == by.pk:
            raise ValidationError(_("Nobody reviews a report they submitted."))
        if locked.state != ReportState.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be reviewed."))
        locked.state = state
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
        locked.review_comment = comment.strip()
        locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    if locked.submitted_by is not None:
        notification_send(
            recipient=locked.submitted_by,
            key=f"weekly-report-{locked.pk}-{state}-{locked.reviewed_at:%Y%m%d%H%M%S}",
            title=Message(
                gettext_noop("Your weekly report for the week from %(date)s was accepted")
                if state == ReportState.ACCEPTED
                else gettext_noop("Your weekly report for the week from %(date)s was returned"),
                date=f"{locked.week_start:%Y-%m-%d}",
            ),
            body=locked.review_comment,
            url=locked.get_absolute_url(),
            store=locked.store,
            source="reports",
        )
    return locked


def report_return(*, by: User, report: WeeklyReport, comment: str) -> WeeklyReport:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change when returning a report.")})
    return _review(by=by, report=report, state=ReportState.RETURNED, comment=comment)


def report_accept(*, by: User, report: WeeklyReport, comment: str = "") -> WeeklyReport:
    return _review(by=by, report=report, state=ReportState.ACCEPTED, comment=comment)


# --- corrective actions of the station's monthly quality meeting --------------------------------


def _station_manager(by: User, store: Store) -> None:
    require(by, "reports.write", store)
    if store.kind != StoreKind.SERVICE_STATION:
        raise ValidationError(_("Only a service station keeps a quality meeting pack."))


def _owner_of(store: Store, owner: User) -> User:
    if not people_who_can("store.view", store).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be one of the station's people.")})
    return owner


def action_create(
    *, by: User, store: Store, month: dt.date, title: str, owner: User, due_on: dt.date, cause: str = ""
) -> CorrectiveAction:
    """A corrective action agreed at the month's quality meeting (the station manager's)."""
    _station_manager(by, store)
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    if due_on < month.replace(day=1):
        raise ValidationError({"due_on": _("The due date is before the meeting's month.")})
    return CorrectiveAction.objects.create(
        store=store,
        month=month.replace(day=1),
        title=title.strip(),
        cause=cause.strip(),
        owner=_owner_of(store, owner),
        due_on=due_on,
        created_by=by,
    )


@transaction.atomic
def action_update(
    *,
    by: User,
    action: CorrectiveAction,
    status: str,
    outcome: str = "",
    owner: User | None = None,
    due_on: dt.date | None = None,
) -> CorrectiveAction:
    """The action's status (and owner, due date) as reviewed at the next meeting; a finished action
    (done or dropped) says what came of it."""
    locked = CorrectiveAction.objects.select_for_update().select_related("store").get(pk=action.pk)
    _station_manager(by, locked.store)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Pick a status.")})
    finished = status in (ActionStatus.DONE, ActionStatus.DROPPED)
    if finished and not outcome.strip():
        raise ValidationError({"outcome": _("Say what came of it before closing the action.")})
    locked.status = status
    locked.outcome = outcome.strip()
    if owner is not None:
        locked.owner = _owner_of(locked.store, owner)
    if due_on is not None:
        locked.due_on = due_on
    locked.closed_at = (locked.closed_at or timezone.now()) if finished else None
    locked.save()
    return locked
