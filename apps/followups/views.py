from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.org.access import can, organisation_where, perm_required, require, stores_where
from apps.org.redirects import safe_next
from apps.printing.services import print_job_start
from apps.spreadsheets import EXPORT_MAX_ROWS, table_response

from . import selectors, services
from .forms import AssignForm, AttemptForm, BulkAssignForm, CampaignForm, RuleForm, SnoozeForm

SECTIONS = ("today", "overdue", "upcoming")


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@perm_required("followups.view")
def queue(request):
    section, mine, q = _queue_params(request)
    can_assign = can(request.user, "followups.assign")
    page = selectors.queue_page(
        user=request.user, section=section, mine=mine, q=q, number=request.GET.get("page")
    )
    counts = selectors.queue_counts(user=request.user, mine=mine)
    assign_users = selectors.assign_users_for(user=request.user) if can_assign else None
    return render(
        request,
        "followups/queue.html",
        {
            "page": page,
            "section": section,
            "mine": mine,
            "q": q,
            "counts": counts,
            "can_assign": can_assign,
            "can_edit_rules": can(request.user, "followups.edit_rules"),
            "assign_users": assign_users,
            "today": timezone.localdate(),
        },
    )


def _queue_params(request) -> tuple[str, bool, str]:
    """The queue's tab, whose follow-ups (mine or the store's) and search, as the page reads them."""
    section = request.GET.get("section") if request.GET.get("section") in SECTIONS else "today"
    can_assign = can(request.user, "followups.assign")
    mine = request.GET.get("scope", "mine" if not can_assign else "all") != "all"
    q = request.GET.get("q", "").strip()[:60]
    return section, mine, q


@login_required
@perm_required("followups.view")
def queue_export(request):
    """The tab the queue shows (same tab, scope and search, same order) as .xlsx; no phone numbers."""
    section, mine, q = _queue_params(request)
    rows = (
        [
            fu.customer.name,
            fu.rule.name,
            fu.reason,
            fu.get_state_display(),
            fu.window_start,
            fu.window_end,
            fu.expires_on,
            str(fu.assignee or ""),
            fu.store.name,
            fu.attempts,
            timezone.localtime(fu.next_attempt_at).replace(tzinfo=None) if fu.next_attempt_at else None,
        ]
        for fu in selectors.queue_for(user=request.user, section=section, mine=mine, q=q)[:EXPORT_MAX_ROWS]
    )
    headers = [_("Customer"), _("Rule"), _("Reason"), _("State"), _("Window opens"), _("Window closes"),
               _("Expires on"), _("Assignee"), _("Store"), _("Calls"), _("Call again at")]  # fmt: skip
    return table_response(title=_("Follow-ups"), headers=headers, rows=rows, filename="followups.xlsx")


@login_required
@perm_required("followups.view")
def detail(request, pk):
    followup = selectors.followup_get_for(user=request.user, pk=pk)
    return _render_detail(request, followup)


def _render_detail(request, followup, *, form=None, snooze_form=None, status=200):
    can_work = can(request.user, "followups.work", followup.store)
    can_assign = can(request.user, "followups.assign", followup.store)
    return render(
        request,
        "followups/detail.html",
        {
            "fu": followup,
            "form": form or AttemptForm(survey_items=followup.survey_items),
            "snooze_form": snooze_form or SnoozeForm(),
            "assign_form": AssignForm(users=selectors.assignable_users(store=followup.store))
            if can_assign
            else None,
            "can_work": can_work and followup.is_active,
            "timeline": selectors.customer_timeline(user=request.user, followup=followup),
            "attempts": followup.attempts_log.select_related("by").prefetch_related("tickets"),
            "reminders": followup.reminders.all(),
            "show_pii": can(request.user, "customers.view_pii", followup.store),
            "phones": list(followup.customer.phones.all()),
        },
        status=status,
    )


@login_required
@require_POST
def attempt(request, pk):
    followup = selectors.followup_get_for(user=request.user, pk=pk)
    require(request.user, "followups.work", followup.store)
    form = AttemptForm(request.POST, survey_items=followup.survey_items)
    if not form.is_valid():
        return _render_detail(request, followup, form=form, status=400)
    data = form.cleaned_data
    try:
        logged = services.followup_log_attempt(
            followup=followup,
            by=request.user,
            result=data["result"],
            callback_at=data.get("callback_at"),
            outcome=data.get("outcome", ""),
            satisfaction=data.get("satisfaction"),
            survey=form.survey(),
            requests=data.get("requests", ""),
            request_answered=data.get("request_answered", False),
            complaint=data.get("complaint", ""),
        )
    except ValidationError as exc:
        form.add_error(None, _error_text(exc))
        return _render_detail(request, followup, form=form, status=400)
    tickets = list(logged.tickets.all())
    if tickets:
        # Each number links to its ticket; the message text is a translator's, the numbers are escaped.
        text = ngettext(
            "Call logged. Ticket opened: {numbers}", "Call logged. Tickets opened: {numbers}", len(tickets)
        )
        links = format_html_join(
            ", ",
            '<a href="{}" class="alert-link" data-testid="opened-ticket">{}</a>',
            ((t.get_absolute_url(), t.number) for t in tickets),
        )
        messages.warning(request, format_html(text, numbers=links))
    else:
        messages.success(request, _("Call logged."))
    return redirect("followups:list")


@login_required
@require_POST
def snooze(request, pk):
    followup = selectors.followup_get_for(user=request.user, pk=pk)
    require(request.user, "followups.work", followup.store)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            services.followup_snooze(
                followup=followup,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Snoozed."))
            return redirect("followups:list")
    return _render_detail(request, followup, snooze_form=form, status=400)


@login_required
@require_POST
def assign(request, pk):
    followup = selectors.followup_get_for(user=request.user, pk=pk)
    require(request.user, "followups.assign", followup.store)
    form = AssignForm(request.POST, users=selectors.assignable_users(store=followup.store))
    if form.is_valid():
        try:
            services.followup_reassign(
                followup=followup, assignee=form.cleaned_data["assignee"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Reassigned."))
    else:
        messages.error(request, _("Choose someone of this store."))
    return redirect(followup.get_absolute_url())


@login_required
@require_POST
@perm_required("followups.assign")
def bulk_assign(request):
    form = BulkAssignForm(
        request.POST,
        followups=selectors.followups_assignable_by(user=request.user),
        users=selectors.assign_users_for(user=request.user),
    )
    if not form.is_valid():
        if form.non_field_errors():
            messages.error(request, " ".join(form.non_field_errors()))
        else:
            messages.error(request, _("Tick some follow-ups and choose whom to assign them to."))
        return redirect(safe_next(request, "followups:list"))
    assignee = form.cleaned_data["assignee"]
    n = services.followup_bulk_assign(followups=form.cleaned_data["ids"], assignee=assignee, by=request.user)
    messages.success(
        request,
        ngettext("%(n)s follow-up assigned to %(user)s.", "%(n)s follow-ups assigned to %(user)s.", n)
        % {"n": n, "user": assignee},
    )
    return redirect(safe_next(request, "followups:list"))


# --- rules -------------------------------------------------------------------------------------


@login_required
@perm_required("followups.edit_rules")
def rule_list(request):
    return render(request, "followups/rule_list.html", {"rules": selectors.rule_list_for(user=request.user)})


@login_required
@perm_required("followups.edit_rules")
def rule_edit(request, pk=None):
    rule = selectors.rule_get_for(user=request.user, pk=pk) if pk else None
    organisation = rule.organisation if rule else organisation_where(request.user, "followups.edit_rules")
    stores = stores_where(request.user, "followups.edit_rules").filter(organisation=organisation)
    form = RuleForm(request.POST or None, instance=rule, organisation=organisation, stores=stores)
    if request.method == "POST" and form.is_valid():
        saved = services.followup_rule_save(
            rule=form.instance,
            organisation=organisation,
            survey_items=form.survey_items(),
            retry_hours=form.retry_hours(),
        )
        messages.success(request, _("Rule “%(name)s” saved.") % {"name": saved.name})
        return redirect("followups:rules")
    return render(
        request, "followups/rule_form.html", {"form": form, "rule": rule}, status=400 if form.errors else 200
    )


# --- campaigns ---------------------------------------------------------------------------------


@login_required
@perm_required("followups.view")
def campaign_list(request):
    page = Paginator(selectors.campaign_list_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/campaign_list.html",
        {"page": page, "can_create": can(request.user, "followups.assign")},
    )


CAMPAIGN_PREVIEW_PAGE_SIZE = 25


@login_required
@perm_required("followups.assign")
def campaign_create(request):
    """Pick the customers with the customer list's filters (same URL parameters, read from the query
    string), see them, then create the campaign for those of its store."""
    pick = selectors.campaign_pick(user=request.user, data=request.GET)
    stores = stores_where(request.user, "followups.assign")
    form = CampaignForm(request.POST or None, stores=stores, initial={"store": pick.store})
    if request.method == "POST" and form.is_valid():
        store = form.cleaned_data["store"]
        if not pick.valid:
            form.add_error(None, _("Correct the customer filters first."))
        else:
            try:
                campaign = services.campaign_create(
                    store=store,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    event_date=form.cleaned_data["event_date"],
                    venue=form.cleaned_data["venue"],
                    letter_body=form.cleaned_data["letter_body"],
                    created_by=request.user,
                    customers=pick.customers.filter(store=store).prefetch_related(None),
                    criteria=pick.params,
                    picked_in=pick.store,
                    shortened=form.cleaned_data["shortened"],
                )
            except services.CampaignTooLate as exc:
                form.add_error("shortened", _error_text(exc))
            except ValidationError as exc:
                form.add_error(None, exc if hasattr(exc, "error_dict") else _error_text(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Campaign created with %(n)s invitation call.",
                        "Campaign created with %(n)s invitation calls.",
                        calls := campaign.followups.count(),
                    )
                    % {"n": calls},
                )
                return redirect(campaign)
    page = Paginator(pick.customers, CAMPAIGN_PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/campaign_form.html",
        {"form": form, "filter": pick.filterset, "page": page, "filter_query": urlencode(pick.params)},
        status=400 if form.errors else 200,
    )


@login_required
@perm_required("followups.view")
def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    page = Paginator(selectors.campaign_followups(campaign=campaign), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "letters_open": selectors.campaign_letters_open(campaign=campaign),
            "can_manage": can(request.user, "followups.assign", campaign.store),
        },
    )


@login_required
@require_POST
def campaign_letters(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    require(request.user, "followups.assign", campaign.store)
    job = print_job_start(
        owner=request.user,
        builder="followups.campaign_letters",
        title=_("Letters: %(name)s") % {"name": campaign.name},
        params={"campaign_id": campaign.pk},
    )
    return redirect(job.get_absolute_url())


@login_required
@require_POST
def campaign_letters_sent(request, pk):
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    require(request.user, "followups.assign", campaign.store)
    n = services.followup_mark_letters_sent(campaign=campaign, by=request.user)
    messages.success(
        request, ngettext("%(n)s letter marked as sent.", "%(n)s letters marked as sent.", n) % {"n": n}
    )
    return redirect(campaign)
