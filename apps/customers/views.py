import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required, require, sees_vehicles, stores_where
from apps.pagination import filtered, filtered_page
from apps.spreadsheets import EXPORT_MAX_ROWS, table_response
from apps.uploads import file_response

from . import services
from .filters import CustomerFilter
from .forms import (
    AnonymiseForm,
    AssetForm,
    AttachmentForm,
    CustomerForm,
    ImportForm,
    NoteForm,
    PhoneFormSet,
    RevealPhoneForm,
    VisitForm,
    VisitItemFormSet,
    phones_for_edit,
)
from .models import Attachment
from .phones import mask_digits
from .selectors import asset_get_for, customer_get_for, customer_list_for, may_view_pii, visit_get_for
from .spreadsheets import ImportResult, customers_import_submit, import_template
from .timeline import timeline_for

PAGE_SIZE = 25


@login_required
@perm_required("customers.view")
def customer_list(request):
    filterset, page = filtered_page(
        request, CustomerFilter, queryset=customer_list_for(user=request.user), per_page=PAGE_SIZE
    )
    return render(
        request,
        "customers/customer_list.html",
        {
            "filter": filterset,
            "page": page,
            "may_import": stores_where(request.user, "customers.edit").exists(),
        },
    )


@login_required
@perm_required("customers.view")
def customer_export(request):
    """What the list shows (same filters and order), as .xlsx; phones stay masked."""
    filterset = filtered(request, CustomerFilter, queryset=customer_list_for(user=request.user))
    rows = (
        [
            c.name,
            c.get_kind_display(),
            c.contact_person,
            " ".join(mask_digits(p.digits) for p in c.phones.all()),
            c.address,
            c.get_tier_display(),
            c.store.name,
            str(c.owner or ""),
            c.created_at.date().isoformat(),
        ]
        for c in filterset.qs[:EXPORT_MAX_ROWS]
    )
    headers = [_("Name"), _("Kind"), _("Contact person"), _("Phones"), _("Address"), _("Tier"), _("Store"),
               _("File owner"), _("Created")]  # fmt: skip
    return table_response(title=_("Customers"), headers=headers, rows=rows, filename="customers.xlsx")


def _customer_form_context(request, form, phones, customer=None):
    return {"form": form, "phones": phones, "customer": customer}


@login_required
@perm_required("customers.edit")
def customer_create(request):
    stores = stores_where(request.user, "customers.edit")
    form = CustomerForm(request.POST or None, stores=stores)
    phones = PhoneFormSet(request.POST or None, prefix="phones")
    if request.method == "POST" and form.is_valid() & phones.is_valid():
        data = dict(form.cleaned_data)
        store = data.pop("store")
        try:
            customer = services.customer_create(store=store, by=request.user, phones=phones.pairs(), **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Customer file created."))
            return redirect(customer)
    return render(request, "customers/customer_form.html", _customer_form_context(request, form, phones))


@login_required
def customer_edit(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    form = CustomerForm(request.POST or None, instance=customer)
    stored, initial = phones_for_edit(customer)
    phones = PhoneFormSet(request.POST or None, prefix="phones", initial=initial, stored=stored)
    if request.method == "POST" and form.is_valid() & phones.is_valid():
        try:
            services.customer_update(
                customer=customer, by=request.user, phones=phones.pairs(), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Customer file saved."))
            return redirect(customer)
    return render(
        request, "customers/customer_form.html", _customer_form_context(request, form, phones, customer)
    )


@login_required
def customer_detail(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.view", customer.store)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "phones": list(customer.phones.all()),
            "assets": list(customer.assets.all()),
            "visits": list(customer.visits.select_related("asset", "staff").prefetch_related("items")[:50]),
            "attachments": list(customer.attachments.all()[:50]),
            "timeline": timeline_for(customer=customer, user=request.user),
            "may_edit": can(request.user, "customers.edit", customer.store),
            "may_view_pii": may_view_pii(request.user, customer),
            "may_open_ticket": can(request.user, "tickets.work", customer.store),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def customer_reveal(request, pk, field):
    """ "Show in full": a separate action, logged each time."""
    customer = customer_get_for(user=request.user, pk=pk)
    if not may_view_pii(request.user, customer):
        raise PermissionDenied
    phone = None
    if field == "phone":
        form = RevealPhoneForm(request.POST, customer=customer)
        if not form.is_valid():
            raise Http404
        phone = form.cleaned_data["phone"]
    elif field != "id_number":
        raise Http404
    value = services.customer_reveal_pii(user=request.user, customer=customer, field=field, phone=phone)
    # A phone shown in full is also a link that dials it (on a phone, one more tap calls).
    return render(request, "customers/_revealed.html", {"value": value, "dial": field == "phone"})


@login_required
@require_POST
def customer_note(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(customer=customer, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty."))
    return redirect(customer)


@login_required
@require_POST
def customer_attach(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(customer=customer, upload=form.cleaned_data["file"], by=request.user)
        messages.success(request, _("File attached."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(customer)


@login_required
def attachment_download(request, pk, attachment_pk):
    """A file on a customer's record, only for those who may see the customer (another store: 404)."""
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.view", customer.store)
    attachment = get_object_or_404(Attachment, customer=customer, pk=attachment_pk)
    return file_response(attachment.file, filename=attachment.name)


@login_required
def asset_create(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    form = AssetForm(request.POST or None, store=customer.store)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            asset = services.asset_create(customer=customer, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Vehicle or product added.") if customer.store.keeps_vehicles else _("Product added."),
            )
            return redirect(asset)
    return render(request, "customers/asset_form.html", {"form": form, "customer": customer})


@login_required
def asset_edit(request, pk, asset_pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    asset = asset_get_for(user=request.user, customer=customer, pk=asset_pk)
    form = AssetForm(request.POST or None, instance=asset, store=customer.store)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(asset=asset, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(asset)
    return render(request, "customers/asset_form.html", {"form": form, "customer": customer, "asset": asset})


@login_required
def asset_detail(request, pk, asset_pk):
    customer = customer_get_for(user=request.user, pk=pk)
    asset = asset_get_for(user=request.user, customer=customer, pk=asset_pk)
    return render(
        request,
        "customers/asset_detail.html",
        {
            "customer": customer,
            "asset": asset,
            "timeline": timeline_for(customer=customer, asset=asset, user=request.user),
            "may_edit": can(request.user, "customers.edit", customer.store),
        },
    )


@login_required
def visit_create(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    initial = {"asset": request.GET.get("asset"), "staff": request.user.pk}
    form = VisitForm(request.POST or None, request.FILES or None, customer=customer, initial=initial)
    items = VisitItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() & items.is_valid():
        data = form.cleaned_data
        visit = services.visit_create(
            customer=customer,
            by=request.user,
            visited_on=data["visited_on"],
            visited_time=data["visited_time"],
            asset=data["asset"],
            work_done=data["work_done"],
            staff=data["staff"],
            mileage_km=data.get("mileage_km"),
            items=[(f.cleaned_data.get("description"), f.cleaned_data.get("amount")) for f in items.forms],
        )
        if data.get("attachment"):
            services.attachment_add(
                customer=customer, upload=data["attachment"], by=request.user, visit=visit, asset=visit.asset
            )
        messages.success(request, _("Visit recorded."))
        return redirect(customer)
    return render(request, "customers/visit_form.html", {"form": form, "items": items, "customer": customer})


@login_required
@require_POST
def visit_complete(request, pk, visit_pk):
    customer = customer_get_for(user=request.user, pk=pk)
    require(request.user, "customers.edit", customer.store)
    visit = visit_get_for(user=request.user, customer=customer, pk=visit_pk)
    if services.visit_refresh_file_state(visit=visit):
        messages.success(request, _("The file for this visit is complete."))
    else:
        missing = "、".join(str(m) for m in services.visit_file_missing(visit=visit))
        messages.error(request, _("The file still lacks: %(missing)s") % {"missing": missing})
    return redirect(customer)


@login_required
def customer_personal_data(request, pk):
    """PIPL access request: the customer's data as JSON (a POST: it is logged)."""
    customer = customer_get_for(user=request.user, pk=pk)
    if not may_view_pii(request.user, customer):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "customers/personal_data.html", {"customer": customer})
    data = services.customer_export_data(user=request.user, customer=customer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json"
    )
    filename = f"customer-{customer.pk}.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
def customer_anonymise(request, pk):
    customer = customer_get_for(user=request.user, pk=pk)
    if not (may_view_pii(request.user, customer) and can(request.user, "customers.edit", customer.store)):
        raise PermissionDenied
    if customer.anonymised_at:
        messages.info(request, _("This customer is already anonymised."))
        return redirect(customer)
    form = AnonymiseForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        services.customer_anonymise(customer=customer, by=request.user)
        messages.success(request, _("The customer's personal data was anonymised."))
        return redirect(customer)
    return render(request, "customers/anonymise.html", {"customer": customer, "form": form})


@login_required
@perm_required("customers.edit")
def customer_import(request):
    stores = stores_where(request.user, "customers.edit")
    form = ImportForm(request.POST or None, request.FILES or None, stores=stores)
    result = None
    if request.method == "POST" and form.is_valid():
        result = customers_import_submit(
            store=form.cleaned_data["store"],
            upload=form.cleaned_data["file"],
            by=request.user,
            commit=form.cleaned_data["commit"],
        )
        if not isinstance(result, ImportResult):  # a large sheet: a print job checks or imports it
            return redirect(result)
        if result.committed:
            messages.success(
                request,
                (
                    _("Imported. Customers: %(c)s; vehicles or products: %(a)s.")
                    if sees_vehicles(request.user)
                    else _("Imported. Customers: %(c)s; products: %(a)s.")
                )
                % {"c": result.customers, "a": result.assets},
            )
            return redirect("customers:list")
    return render(
        request,
        "customers/import.html",
        {
            "form": form,
            "report": result,
            "max_rows": settings.CUSTOMERS_IMPORT_MAX_ROWS,
            "vehicles": sees_vehicles(request.user),
        },
    )


@login_required
@perm_required("customers.edit")
def customer_import_template(request):
    return import_template(vehicles=sees_vehicles(request.user))
