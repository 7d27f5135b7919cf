"""Writes on follow-ups: log an attempt, reassign, snooze, bulk-assign, campaigns."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications.events import FOLLOWUP_COMPLAINT, publish
from apps.org.access import require
from apps.org.models import Store, User
from apps.org.selectors import managers_of
from apps.tickets.selectors import TicketKind, TicketPriority
from apps.tickets.services import ticket_create, ticket_flag_for_review

from .engine import followup_close, followup_create_for, rule_window
from .models import Attempt, Campaign, FollowUp, FollowUpRule, Reminder, Trigger

if TYPE_CHECKING:
    from apps.tickets.models import Ticket

log = logging.getLogger(__name__)
LOW_SCORE = 2  # a satisfaction of 2 or less (of 5) is handled like a complaint
# The survey question of 准时交车率目标管理 (电话回访员 asks 是否准时交车 in every call); a "no" puts
# the order before the manager.
ON_TIME_QUESTION = "准时交车"
NO_ANSWERS = {"no", "否", "n", "false", "0", "不是", "没有"}


def survey_says_not_on_time(survey: dict) -> bool:
    """True when the call's answer to 是否准时交车 is "no" (stored as False, 0, "no" or "否")."""
    return any(
        (ON_TIME_QUESTION in str(question) or "on time" in str(question).lower())
        and (answer is False or str(answer).strip().lower() in NO_ANSWERS)
        for question, answer in (survey or {}).items()
    )


DEFAULT_RETRY_HOURS = [2, 24, 48]


def enqueue_dispatch() -> None:
    """Ask a worker to send due reminders now (after commit); the beat tick sends them anyway.

    A broker that is down must not fail the user's request: the reminder is in the database.
    """

    def _send():
        from .tasks import dispatch_reminders_task

        try:
            # Retry briefly only: a user is waiting on this request.
            dispatch_reminders_task.apply_async(
                retry_policy={
                    "max_retries": 1,
                    "interval_start": 0,
                    "interval_step": 0.2,
                    "interval_max": 0.2,
                }
            )
        except Exception as exc:  # broker down: the next beat tick sends it
            log.warning("followups: could not enqueue dispatch (%s); the beat tick will send it", exc)

    transaction.on_commit(_send)


def _alert_managers(*, followup: FollowUp, text: str, tag: str) -> Reminder:
    reminder, _created = Reminder.objects.get_or_create(
        key=f"fu{followup.pk}:alert:{tag}",
        defaults={
            "followup": followup,
            "kind": Reminder.Kind.ALERT,
            "due_at": timezone.now(),
            "text": text[:250],
        },
    )
    enqueue_dispatch()
    return reminder


def _supervisor_for(*, user: User, store: Store) -> User | None:
    from apps.roles.selectors import escalation_chain

    levels = escalation_chain(user=user, store=store, max_levels=1)
    if levels and levels[0]:
        return levels[0][0]
    return managers_of(store=store).first()


def _schedule_callback(followup: FollowUp, at: dt.datetime) -> None:
    followup.next_attempt_at = at
    followup.save(update_fields=["attempts", "next_attempt_at"])
    Reminder.objects.create(
        followup=followup,
        kind=Reminder.Kind.CALLBACK,
        key=f"fu{followup.pk}:callback:{followup.attempts}",
        due_at=at,
    )


@transaction.atomic
def followup_log_attempt(
    *,
    followup: FollowUp,
    by: User,
    result: str,
    callback_at: dt.datetime | None = None,
    outcome: str = "",
    satisfaction: int | None = None,
    survey: dict | None = None,
    requests: str = "",
    request_answered: bool = True,
    complaint: str = "",
) -> Attempt:
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("rule", "customer", "store", "ticket")
        .get(pk=followup.pk)
    )
    if not followup.is_active:
        raise ValidationError(_("This follow-up is already closed."))
    if result == Attempt.Result.CALL_BACK and not callback_at:
        raise ValidationError(_("Say when to call back."))
    if result == Attempt.Result.REACHED and satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ValidationError(_("Satisfaction is from 1 to 5."))
    attempt = Attempt.objects.create(
        followup=followup,
        by=by,
        result=result,
        callback_at=callback_at if result == Attempt.Result.CALL_BACK else None,
        outcome=outcome,
        satisfaction=satisfaction if result == Attempt.Result.REACHED else None,
        survey=survey or {},
        requests=requests,
        request_answered=request_answered,
        complaint=complaint,
    )
    followup.attempts += 1
    if followup.state == FollowUp.State.SCHEDULED:
        followup.state = FollowUp.State.OPEN
    if result == Attempt.Result.NO_ANSWER:
        ladder = followup.rule.retry_hours or DEFAULT_RETRY_HOURS
        if followup.attempts <= len(ladder):
            _schedule_callback(followup, timezone.now() + dt.timedelta(hours=ladder[followup.attempts - 1]))
        else:
            followup_close(
                followup,
                state=FollowUp.State.UNREACHABLE,
                by=by,
                outcome=ngettext(
                    "No answer after %(n)s call.", "No answer after %(n)s calls.", followup.attempts
                )
                % {"n": followup.attempts},
            )
    elif result == Attempt.Result.CALL_BACK:
        _schedule_callback(followup, callback_at)
    elif result == Attempt.Result.WRONG_NUMBER:
        followup_close(
            followup, state=FollowUp.State.UNREACHABLE, by=by, outcome=_("Wrong number.") + " " + outcome
        )
        _alert_managers(
            followup=followup,
            text=_("Wrong number on file for %(customer)s: please correct the customer file.")
            % {"customer": followup.customer.name},
            tag=f"wrong{attempt.pk}",
        )
    else:
        followup_close(followup, state=FollowUp.State.DONE, by=by, outcome=outcome, satisfaction=satisfaction)
        low = satisfaction is not None and satisfaction <= LOW_SCORE
        if complaint.strip() or low:
            attempt.tickets.add(_complaint_ticket(followup=followup, attempt=attempt, by=by, low=low))
        if requests.strip() and not request_answered:
            attempt.tickets.add(_request_ticket(followup=followup, attempt=attempt, by=by))
        order = followup.ticket
        if order is not None and order.kind == TicketKind.REPAIR_ORDER and survey_says_not_on_time(survey):
            ticket_flag_for_review(
                ticket=order,
                reason=_("The customer said in the follow-up call that the car was not delivered on time.")
                + (" " + outcome.strip() if outcome.strip() else ""),
                by=by,
                key=f"followup:{followup.pk}:on-time",
            )
    return attempt


def _complaint_ticket(*, followup: FollowUp, attempt: Attempt, by: User, low: bool) -> Ticket:
    manager = managers_of(store=followup.store).first()
    lines = [
        _("From follow-up call: %(rule)s (%(reason)s)")
        % {"rule": followup.rule.name, "reason": followup.reason},
    ]
    if attempt.satisfaction is not None:
        lines.append(_("Satisfaction: %(n)s / 5") % {"n": attempt.satisfaction})
    if attempt.complaint:
        lines.append(_("Complaint: %(text)s") % {"text": attempt.complaint})
    if attempt.outcome:
        lines.append(_("Call notes: %(text)s") % {"text": attempt.outcome})
    title = (attempt.complaint.strip().splitlines() or [""])[0][:80] or _("Low satisfaction score")
    ticket = ticket_create(
        store=followup.store,
        customer=followup.customer,
        kind=TicketKind.COMPLAINT,
        title=_("Follow-up complaint: %(title)s") % {"title": title},
        description="\n".join(lines),
        asset=followup.asset,
        assignee=manager or by,
        created_by=by,
        priority=TicketPriority.HIGH,
        source=f"followup:{followup.pk}",
    )
    text = (
        _("Low score %(n)s/5 from %(customer)s; complaint ticket %(number)s opened.")
        if low and not attempt.complaint.strip()
        else _("Complaint from %(customer)s in a follow-up call; ticket %(number)s opened.")
    ) % {"n": attempt.satisfaction, "customer": followup.customer.name, "number": ticket.number}
    _alert_managers(followup=followup, text=text, tag=f"complaint{attempt.pk}")
    publish(
        FOLLOWUP_COMPLAINT,
        store=followup.store,
        key=f"attempt:{attempt.pk}",
        payload={
            "followup": {
                "id": followup.pk,
                "rule": followup.rule.name,
                "reason": followup.reason,
                "customer_id": followup.customer_id,
                "by": str(by),
                "satisfaction": attempt.satisfaction,
                "complaint": attempt.complaint,
                "url": settings.SITE_URL.rstrip("/") + followup.get_absolute_url(),
            },
            "ticket": {"id": ticket.pk, "number": ticket.number},
        },
    )
    return ticket


def _request_ticket(*, followup: FollowUp, attempt: Attempt, by: User) -> Ticket:
    supervisor = _supervisor_for(user=by, store=followup.store)
    return ticket_create(
        store=followup.store,
        customer=followup.customer,
        kind=TicketKind.FOLLOW_ON,
        title=_("Customer request from a follow-up call: %(text)s") % {"text": attempt.requests.strip()[:80]},
        description=attempt.requests,
        asset=followup.asset,
        assignee=supervisor,
        created_by=by,
        source=f"followup:{followup.pk}",
    )


def _assign(followup: FollowUp, *, assignee: User, by: User) -> bool:
    """Assign one follow-up already locked by the caller; its history row names `by`.

    False (and nothing written) when it is closed or already with `assignee`.
    """
    if not followup.is_active or followup.assignee_id == assignee.pk:
        return False
    followup.assignee = assignee
    # Outside a request (a task, a shell) the middleware knows no user: say who it was.
    followup._history_user = by
    followup.save(update_fields=["assignee"])
    return True


@transaction.atomic
def followup_reassign(*, followup: FollowUp, assignee: User, by: User) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup.is_active:
        raise ValidationError(_("This follow-up is already closed."))
    _assign(followup, assignee=assignee, by=by)
    return followup


@transaction.atomic
def followup_bulk_assign(*, followups, assignee: User, by: User) -> int:
    """Assign the open ones of `followups` to `assignee`, one saved row (and history row) each.

    All or nothing: PermissionDenied when `by` may not assign in one of their stores. Returns how
    many open follow-ups are now with `assignee`.
    """
    ids = [f.pk for f in followups]
    rows = list(
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("store")
        .filter(pk__in=ids, state__in=FollowUp.ACTIVE)
        .order_by("pk")
    )
    for store in {row.store_id: row.store for row in rows}.values():
        require(by, "followups.assign", store)
    for row in rows:
        _assign(row, assignee=assignee, by=by)
    return len(rows)


@transaction.atomic
def followup_snooze(*, followup: FollowUp, until: dt.date, reason: str, by: User) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not followup.is_active:
        raise ValidationError(_("This follow-up is already closed."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for snoozing."))
    if until <= timezone.localdate():
        raise ValidationError(_("Snooze to a later day."))
    if until > followup.expires_on:
        raise ValidationError(
            _("It expires on %(date)s: snooze to that day at the latest.") % {"date": followup.expires_on}
        )
    followup.snoozed_until = until
    followup.snooze_reason = reason.strip()
    followup.save(update_fields=["snoozed_until", "snooze_reason"])
    return followup


@transaction.atomic
def followup_mark_letters_sent(*, campaign: Campaign, by: User) -> int:
    done = 0
    for fu in campaign.followups.filter(channel="letter", state__in=FollowUp.ACTIVE).select_for_update():
        followup_close(fu, state=FollowUp.State.DONE, by=by, outcome=_("Letter sent."))
        done += 1
    return done


class CampaignTooLate(ValidationError):
    """The invitations' normal schedule (two weeks ahead) has already passed for this event date."""


def campaign_schedule(
    *, rule: FollowUpRule, event_date: dt.date, today: dt.date, shortened: bool = False
) -> tuple[dt.date, dt.date, dt.date] | None:
    """(opens, closes, expires) of the invitation calls: the rule's window before the event, or,
    when that has passed and `shortened` is asked for, calls from today for the rule's usual span,
    closing before the event. None: the normal window, still reachable."""
    start, end, expires = rule_window(rule, event_date)
    if expires >= today:
        return None
    if not shortened:
        raise CampaignTooLate(
            _(
                "The invitation calls were due from %(start)s to %(end)s (two weeks before the event); "
                "that has passed, so no customer would be invited. Choose “shortened schedule” to call "
                "from today, or move the event."
            )
            % {"start": start, "end": expires},
            code="too_late",
        )
    eve = event_date - dt.timedelta(days=1)
    span = dt.timedelta(days=max(rule.window_end_days - rule.window_start_days, 0))
    closes = max(today, min(today + span, eve))
    return today, closes, max(closes, min(closes + dt.timedelta(days=rule.grace_days), eve))


@transaction.atomic
def followup_rule_save(
    *, rule: FollowUpRule, organisation, survey_items: list[dict], retry_hours: list[int]
) -> FollowUpRule:
    """Save a rule (new or changed, its fields already set) of `organisation`."""
    rule.organisation = organisation
    rule.survey_items = survey_items
    rule.retry_hours = retry_hours
    rule.save()
    return rule


@transaction.atomic
def campaign_create(
    *,
    store: Store,
    name: str,
    kind: str,
    event_date: dt.date,
    created_by: User,
    customers,
    venue: str = "",
    letter_body: str = "",
    criteria: dict | None = None,
    picked_in: Store | None = None,
    shortened: bool = False,
) -> Campaign:
    """A campaign and its phone invitations (two weeks ahead); the letters follow each call.

    `customers` are invited when they belong to `store` and agree to be contacted; `picked_in`, the
    store the customer filters picked them in, must be `store` when given. Created too late for the
    two weeks: `CampaignTooLate` (nothing is created) unless `shortened`, which invites from today
    and closes the calls before the event.
    """
    if picked_in is not None and picked_in != store:
        raise ValidationError({"store": _("The customer filters pick the customers of another store.")})
    rule = (
        FollowUpRule.objects.filter(
            organisation_id=store.organisation_id, trigger=Trigger.CAMPAIGN, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if rule is None:
        raise ValidationError(_("There is no active campaign rule; an administrator must add one."))
    today = timezone.localdate()
    if event_date <= today:
        raise ValidationError(_("The event must be after today to invite anyone."))
    window = campaign_schedule(rule=rule, event_date=event_date, today=today, shortened=shortened)
    campaign = Campaign.objects.create(
        store=store,
        name=name,
        kind=kind,
        event_date=event_date,
        venue=venue,
        letter_body=letter_body,
        criteria=criteria or {},
        created_by=created_by,
    )
    for customer in customers:
        if customer.store_id != store.pk or not customer.contact_consent:
            continue
        followup_create_for(
            rule=rule,
            key=f"r{rule.pk}:campaign{campaign.pk}:customer{customer.pk}",
            store=store,
            customer=customer,
            campaign=campaign,
            trigger_date=event_date,
            reason=_("Invitation to %(name)s on %(date)s") % {"name": name, "date": event_date},
            today=today,
            window=window,
        )
    return campaign
