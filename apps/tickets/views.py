from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.customers.selectors import customer_get_for
from apps.org.access import can, perm_required, require, sees_vehicles
from apps.pagination import filtered, filtered_page
from apps.spreadsheets import EXPORT_MAX_ROWS, table_response
from apps.uploads import file_response

from . import forms, services
from .documents import order_pdf, settlement_pdf
from .filters import TicketFilter
from .models import AddedItem, CustomerDelay, Ticket, TicketAttachment
from .selectors import ticket_events, ticket_get_for, ticket_list_for

PAGE_SIZE = 25


@login_required
@perm_required("tickets.view")
def ticket_list(request):
    filterset, page = filtered_page(
        request, TicketFilter, queryset=ticket_list_for(user=request.user), per_page=PAGE_SIZE
    )
    return render(
        request,
        "tickets/ticket_list.html",
        {"filter": filterset, "page": page, "vehicles": sees_vehicles(request.user)},
    )


@login_required
@perm_required("tickets.view")
def ticket_export(request):
    filterset = filtered(request, TicketFilter, queryset=ticket_list_for(user=request.user))
    vehicles = sees_vehicles(request.user)
    rows = (
        [
            t.number,
            t.get_kind_display(),
            t.title,
            t.customer.name,
            t.get_state_display(),
            t.get_priority_display(),
            str(t.assignee or ""),
            t.store.name,
            *(
                [
                    t.promised_at.isoformat(timespec="minutes") if t.promised_at else "",
                    t.settled_at.isoformat(timespec="minutes") if t.settled_at else "",
                    t.settlement_amount,
                    {True: _("yes"), False: _("no")}.get(t.on_time, ""),
                ]
                if vehicles
                else []
            ),
        ]
        for t in filterset.qs[:EXPORT_MAX_ROWS]
    )
    headers = [_("Number"), _("Kind"), _("Title"), _("Customer"), _("State"), _("Priority"), _("Assignee"),
               _("Store")]  # fmt: skip
    if vehicles:
        # Promise, settlement and on-time delivery: the repair orders of service stations only.
        headers += [_("Promised"), _("Settled"), _("Amount"), _("On time")]
    return table_response(title=_("Tickets"), headers=headers, rows=rows, filename="tickets.xlsx")


@login_required
@perm_required("tickets.work")
def ticket_create(request):
    try:
        customer_pk = int(request.GET.get("customer") or request.POST.get("customer") or 0)
    except ValueError:
        customer_pk = 0
    if not customer_pk:
        messages.info(request, _("Open the customer's file first, then choose “New ticket”."))
        return redirect("customers:list")
    customer = customer_get_for(user=request.user, pk=customer_pk)
    require(request.user, "tickets.work", customer.store)
    form = forms.TicketForm(request.POST or None, customer=customer, initial={"assignee": request.user.pk})
    offered = form.offered_kinds
    asked = request.GET.get("kind")
    default = Ticket.Kind.COMPLAINT if Ticket.Kind.COMPLAINT in offered else next(iter(offered), "")
    form.initial["kind"] = asked if asked in offered else default
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                store=customer.store,
                customer=customer,
                created_by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                asset=data["asset"],
                priority=data["priority"],
                assignee=data["assignee"],
                promised_at=data.get("promised_at"),
                is_major_repair=data.get("is_major_repair", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ticket %(number)s opened.") % {"number": ticket.number})
            return redirect(ticket)
    return render(request, "tickets/ticket_form.html", {"form": form, "customer": customer})


@login_required
def ticket_detail(request, pk):
    ticket = ticket_get_for(user=request.user, pk=pk)
    require(request.user, "tickets.view", ticket.store)
    may_work = can(request.user, "tickets.work", ticket.store)
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "events": ticket_events(ticket=ticket),
            "added_items": list(ticket.added_items.select_related("confirmation__recorded_by")),
            "delays": list(ticket.customer_delays.select_related("confirmation__recorded_by")),
            "attachments": list(ticket.attachments.all()),
            "escalated_to": list(ticket.escalated_to.all()),
            "transitions": [(s, Ticket.State(s).label) for s in services.TRANSITIONS.get(ticket.state, ())],
            "may_work": may_work,
            "may_assign": can(request.user, "tickets.assign", ticket.store),
            "forms": {
                "comment": forms.CommentForm(),
                "answer": forms.AnswerForm(),
                "solution": forms.SolutionForm(),
                "hand_over": forms.HandOverForm(),
                "assign": forms.AssignForm(ticket=ticket, initial={"assignee": ticket.assignee_id}),
                "promise": forms.PromiseForm(),
                "added_item": forms.AddedItemForm(),
                "confirm": forms.ConfirmForm(ticket=ticket, initial={"confirmed_at": timezone.localtime()}),
                "review": forms.ReviewResolveForm(),
                "delay": forms.DelayForm(),
                "settle": forms.SettleForm(),
                "attach": forms.AttachmentForm(),
            },
        },
    )


def _item(ticket, model, request):
    try:
        return get_object_or_404(model, ticket=ticket, pk=int(request.POST.get("item", 0)))
    except ValueError as exc:
        raise Http404 from exc


def _do(action, request, ticket):
    """Run one action on the ticket; returns the form when its input is invalid."""
    user = request.user
    P = request.POST
    if action == "transition":
        form = forms.TransitionForm(P)
        if form.is_valid():
            services.ticket_transition(
                ticket=ticket, to=form.cleaned_data["to"], by=user, note=form.cleaned_data["note"]
            )
        return form
    if action == "comment":
        form = forms.CommentForm(P)
        if form.is_valid():
            services.ticket_comment(ticket=ticket, by=user, text=form.cleaned_data["text"])
        return form
    if action == "attach":
        form = forms.AttachmentForm(P, request.FILES)
        if form.is_valid():
            services.ticket_attach(ticket=ticket, upload=form.cleaned_data["file"], by=user)
        return form
    if action == "answer":
        form = forms.AnswerForm(P)
        if form.is_valid():
            services.ticket_answer_customer(ticket=ticket, by=user, text=form.cleaned_data["text"])
        return form
    if action == "solution":
        form = forms.SolutionForm(P)
        if form.is_valid():
            services.ticket_solution_found(ticket=ticket, by=user, text=form.cleaned_data["text"])
        return form
    if action == "hand_over":
        form = forms.HandOverForm(P)
        if form.is_valid():
            services.ticket_hand_to_supervisor(ticket=ticket, by=user, note=form.cleaned_data["note"])
        return form
    if action == "assign":
        require(user, "tickets.assign", ticket.store)
        form = forms.AssignForm(P, ticket=ticket)
        if form.is_valid():
            services.ticket_assign(ticket=ticket, assignee=form.cleaned_data["assignee"], by=user)
        return form
    if action == "promise":
        form = forms.PromiseForm(P)
        if form.is_valid():
            services.ticket_set_promise(ticket=ticket, promised_at=form.cleaned_data["promised_at"], by=user)
        return form
    if action == "added_item":
        form = forms.AddedItemForm(P)
        if form.is_valid():
            services.added_item_add(ticket=ticket, by=user, **form.cleaned_data)
        return form
    if action == "added_item_confirm":
        item = _item(ticket, AddedItem, request)
        form = forms.ConfirmForm(P)
        if form.is_valid():
            services.added_item_confirm(item=item, by=user, **form.cleaned_data)
        return form
    if action == "delay":
        form = forms.DelayForm(P)
        if form.is_valid():
            services.customer_delay_add(ticket=ticket, by=user, **form.cleaned_data)
        return form
    if action == "delay_confirm":
        delay = _item(ticket, CustomerDelay, request)
        form = forms.ConfirmForm(P)
        if form.is_valid():
            services.customer_delay_confirm(delay=delay, by=user, **form.cleaned_data)
        return form
    if action == "review_resolve":
        form = forms.ReviewResolveForm(P)
        if form.is_valid():
            services.ticket_review_resolve(ticket=ticket, by=user, note=form.cleaned_data["note"])
        return form
    if action == "settle":
        form = forms.SettleForm(P)
        if form.is_valid():
            services.ticket_settle(
                ticket=ticket,
                by=user,
                amount=form.cleaned_data["amount"],
                settled_at=form.cleaned_data["settled_at"],
            )
        return form
    raise Http404


# The repair order's promise, added items, customer-caused delays and settlement: station work.
VEHICLE_ACTIONS = {"promise", "added_item", "added_item_confirm", "delay", "delay_confirm", "settle"}


@login_required
@require_POST
def ticket_action(request, pk, action):
    ticket = ticket_get_for(user=request.user, pk=pk)
    require(request.user, "tickets.work", ticket.store)
    if action in VEHICLE_ACTIONS and not ticket.store.keeps_vehicles:
        messages.error(request, _("This is not done at this kind of store."))
        return redirect(ticket)
    try:
        form = _do(action, request, ticket)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if form.is_valid():
            messages.success(request, _("Saved."))
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
    return redirect(ticket)


@login_required
def ticket_attachment(request, pk, attachment_pk):
    """A file on a ticket, only for those who may see the ticket (another store: 404)."""
    ticket = ticket_get_for(user=request.user, pk=pk)
    require(request.user, "tickets.view", ticket.store)
    attachment = get_object_or_404(TicketAttachment, ticket=ticket, pk=attachment_pk)
    return file_response(attachment.file, filename=attachment.name)


@login_required
def ticket_order_pdf(request, pk):
    ticket = ticket_get_for(user=request.user, pk=pk)
    require(request.user, "tickets.view", ticket.store)
    return order_pdf(ticket, request=request)


@login_required
def ticket_settlement_pdf(request, pk):
    ticket = ticket_get_for(user=request.user, pk=pk)
    require(request.user, "tickets.view", ticket.store)
    if not ticket.settled_at:
        raise PermissionDenied
    return settlement_pdf(ticket, request=request)
